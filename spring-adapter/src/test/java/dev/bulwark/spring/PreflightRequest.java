package dev.bulwark.spring;

import dev.bulwark.core.RequestView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A hand-written preflight {@link RequestView} for wiring tests. */
record PreflightRequest(String path, String origin, String method) implements RequestView {

    static PreflightRequest of(String path, String origin, String method) {
        return new PreflightRequest(path, origin, method);
    }

    @Override
    public String method() {
        return "OPTIONS";
    }

    @Override
    public String scheme() {
        return "https";
    }

    @Override
    public String host() {
        return "api.internal";
    }

    @Override
    public int port() {
        return 443;
    }

    @Override
    public String requestUri() {
        return path;
    }

    @Override
    public @Nullable String query() {
        return null;
    }

    @Override
    public @Nullable String header(String name) {
        if (name.equalsIgnoreCase("Origin")) {
            return origin;
        }
        if (name.equalsIgnoreCase("Access-Control-Request-Method")) {
            return method;
        }
        return null;
    }

    @Override
    public List<String> headers(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    @Override
    public String peerAddress() {
        return "203.0.113.1";
    }

    @Override
    public @Nullable String principalName() {
        return null;
    }
}
