package dev.bulwark.servlet;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.accesslog.AccessLogEntry;
import dev.bulwark.core.client.ResolvedClient;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/** Adapts a completed servlet request to core's {@link AccessLogEntry}. One per logged request; not thread-safe. */
final class ServletAccessLogEntry implements AccessLogEntry {

    private final HttpServletRequest request;
    private final CountingResponse response;
    private final long startMillis;
    private final long durationNanos;
    private final int status;
    private final @Nullable ResolvedClient client;

    ServletAccessLogEntry(
            HttpServletRequest request, CountingResponse response, long startMillis, long durationNanos, int status) {
        this.request = request;
        this.response = response;
        this.startMillis = startMillis;
        this.durationNanos = durationNanos;
        this.status = status;
        this.client = ClientIdentityFilter.resolvedClient(request);
    }

    @Override
    public String clientAddress() {
        ResolvedClient c = client;
        return c != null ? c.address().toString() : request.getRemoteAddr();
    }

    @Override
    public String peerAddress() {
        ResolvedClient c = client;
        if (c == null || !c.viaTrustedProxy()) {
            return request.getRemoteAddr();
        }
        ServletRequest innermost = request;
        while (innermost instanceof ServletRequestWrapper wrapper) {
            innermost = wrapper.getRequest();
        }
        return innermost.getRemoteAddr();
    }

    @Override
    public @Nullable String forwardedChain() {
        ResolvedClient c = client;
        return c != null ? c.forwardedChain() : request.getHeader("X-Forwarded-For");
    }

    @Override
    public @Nullable String user() {
        if (request.getAttribute(AccessLogUserFilter.ATTRIBUTE) instanceof String user) {
            return user;
        }
        return request.getRemoteUser();
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    @Override
    public String method() {
        return request.getMethod();
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
    public String protocol() {
        return request.getProtocol();
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long bytesSent() {
        return response.bytes();
    }

    @Override
    public long durationNanos() {
        return durationNanos;
    }

    @Override
    public @Nullable String requestHeader(String name) {
        return request.getHeader(name);
    }

    @Override
    public @Nullable String responseHeader(String name) {
        return response.getHeader(name);
    }

    @Override
    public @Nullable Rejection rejection() {
        return Rejections.of(request);
    }
}
