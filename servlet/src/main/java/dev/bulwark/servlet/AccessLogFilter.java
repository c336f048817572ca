package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.accesslog.AccessLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes one {@link AccessLog} line per request, once it completes (for an asynchronous request, when its async
 * context completes).
 *
 * <p>Runs right after {@link ClientIdentityFilter} ({@link FilterOrder#ACCESS_LOG}), so it times the whole request,
 * logs Bulwark's own rejections too, and sees the resolved client ({@code h}) and the raw forwarded chain. Body bytes
 * are counted by wrapping the response's stream and writer (nothing is buffered). The user is the name {@link
 * AccessLogUserFilter} recorded after authentication (Spring Security's principal is invisible outside its filter
 * chain), else {@code getRemoteUser()}. A request that fails with an exception before the response is committed is
 * logged with status 500, as the container will answer. Excluded paths (health endpoints by default) cost one path
 * match and no wrapper.
 *
 * <p>Instances are immutable and safe for concurrent use.
 */
public final class AccessLogFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient AccessLog log;
    private final transient TimeSource time;

    /** Creates the filter over an access log. */
    public AccessLogFilter(AccessLog log) {
        this(log, TimeSource.system());
    }

    /** Creates the filter with a clock, for tests. */
    public AccessLogFilter(AccessLog log, TimeSource time) {
        this.log = requireNonNull(log, "log");
        this.time = requireNonNull(time, "time");
    }

    /** Returns the access log. */
    public AccessLog accessLog() {
        return log;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!log.isEnabled() || log.isExcluded(ServletRequestView.pathWithinApplication(request))) {
            chain.doFilter(request, response);
            return;
        }
        long startNanos = time.nanoTime();
        long startMillis = time.now().toEpochMilli();
        CountingResponse counting = new CountingResponse(response);
        boolean failed = true;
        try {
            chain.doFilter(request, counting);
            failed = false;
        } finally {
            boolean error = failed && !response.isCommitted();
            Completion.onComplete(
                    request,
                    () -> log.log(new ServletAccessLogEntry(
                            request,
                            counting,
                            startMillis,
                            time.nanoTime() - startNanos,
                            error ? 500 : counting.getStatus())));
        }
    }

    @Override
    public String toString() {
        return "AccessLogFilter[" + log + "]";
    }
}
