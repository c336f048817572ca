package dev.bulwark.servlet;

import dev.bulwark.core.RequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Adapts an {@link HttpServletRequest} to core's {@link RequestView}. One per request; not thread-safe. */
final class ServletRequestView implements RequestView {

    private final HttpServletRequest request;

    private ServletRequestView(HttpServletRequest request) {
        this.request = request;
    }

    static ServletRequestView of(HttpServletRequest request) {
        return new ServletRequestView(request);
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String scheme() {
        String scheme = request.getScheme();
        return "https".equals(scheme) || "http".equals(scheme) ? scheme : scheme.toLowerCase(Locale.ROOT);
    }

    @Override
    public String host() {
        return request.getServerName();
    }

    @Override
    public int port() {
        return request.getServerPort();
    }

    @Override
    public String path() {
        return pathWithinApplication(request);
    }

    static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            return servletPath.isEmpty() ? "/" : servletPath;
        }
        return servletPath.isEmpty() ? pathInfo : servletPath + pathInfo;
    }

    @Override
    public String requestUri() {
        return request.getRequestURI();
    }

    @Override
    public @Nullable String query() {
        return request.getQueryString();
    }

    @Override
    public @Nullable String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        return Collections.list(values);
    }

    @Override
    public String peerAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public @Nullable String principalName() {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    @Override
    public boolean secure() {
        return request.isSecure();
    }
}
