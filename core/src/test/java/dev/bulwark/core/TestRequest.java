package dev.bulwark.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A hand-written {@link RequestView} for tests. */
public final class TestRequest implements RequestView {

    private String method = "GET";
    private String scheme = "http";
    private String host = "example.com";
    private int port = 80;
    private String path = "/";
    private @Nullable String query;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String peer = "203.0.113.7";
    private @Nullable String principal;

    public static TestRequest get(String path) {
        return new TestRequest().path(path);
    }

    public TestRequest method(String method) {
        this.method = method;
        return this;
    }

    public TestRequest scheme(String scheme) {
        this.scheme = scheme;
        this.port = "https".equals(scheme) ? 443 : 80;
        return this;
    }

    public TestRequest host(String host) {
        this.host = host;
        return this;
    }

    public TestRequest port(int port) {
        this.port = port;
        return this;
    }

    public TestRequest path(String path) {
        this.path = path;
        return this;
    }

    public TestRequest query(@Nullable String query) {
        this.query = query;
        return this;
    }

    public TestRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(value);
        return this;
    }

    public TestRequest peer(String peer) {
        this.peer = peer;
        return this;
    }

    public TestRequest principal(@Nullable String principal) {
        this.principal = principal;
        return this;
    }

    @Override
    public String method() {
        return method;
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
        return path;
    }

    @Override
    public String requestUri() {
        return path;
    }

    @Override
    public @Nullable String query() {
        return query;
    }

    @Override
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return List.copyOf(headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    @Override
    public String peerAddress() {
        return peer;
    }

    @Override
    public @Nullable String principalName() {
        return principal;
    }
}
