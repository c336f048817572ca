package dev.bulwark.servlet;

import dev.bulwark.core.ResponseHeaders;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Adapts an {@link HttpServletResponse} to core's {@link ResponseHeaders}. Not thread-safe. */
final class ServletResponseHeaders implements ResponseHeaders {

    private final HttpServletResponse response;

    ServletResponseHeaders(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public boolean contains(String name) {
        return response.containsHeader(name);
    }

    @Override
    public @Nullable String get(String name) {
        return response.getHeader(name);
    }

    @Override
    public List<String> values(String name) {
        return response.containsHeader(name) ? List.copyOf(response.getHeaders(name)) : List.of();
    }

    @Override
    public void set(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public void add(String name, String value) {
        response.addHeader(name, value);
    }
}
