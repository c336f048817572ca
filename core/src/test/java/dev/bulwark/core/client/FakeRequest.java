package dev.bulwark.core.client;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.RequestView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A hand-written {@link RequestView} for tests: a plain GET to {@code http://app.example:8080/} by default. */
final class FakeRequest implements RequestView {

    private final String peer;
    private final String scheme;
    private final String host;
    private final int port;
    private final Map<String, List<String>> headers;

    private FakeRequest(Builder b) {
        this.peer = b.peer;
        this.scheme = b.scheme;
        this.host = b.host;
        this.port = b.port;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        b.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = copy;
    }

    /** Returns a builder for a request whose connection came from {@code peer}. */
    static Builder from(String peer) {
        return new Builder(peer);
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String path() {
        return "/";
    }

    @Override
    public String requestUri() {
        return "/";
    }

    @Override
    public @Nullable String query() {
        return null;
    }

    @Override
    public @Nullable String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String peerAddress() {
        return peer;
    }

    @Override
    public @Nullable String principalName() {
        return null;
    }

    static final class Builder {
        private final String peer;
        private String scheme = "http";
        private String host = "app.example";
        private int port = 8080;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        private Builder(String peer) {
            this.peer = requireNonNull(peer, "peer");
        }

        Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        Builder host(String host) {
            this.host = host;
            return this;
        }

        Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Adds one header line; call again with the same name for several lines. */
        Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(value);
            return this;
        }

        FakeRequest build() {
            return new FakeRequest(this);
        }
    }
}
