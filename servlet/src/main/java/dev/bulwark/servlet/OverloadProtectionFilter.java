package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.internal.Checks;
import dev.bulwark.core.limits.AdmissionDecision;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overload protection: admits requests through a {@link ConcurrencyLimiter} (refusals get {@code 503}, {@code
 * Retry-After} and a problem document; health endpoints are exempt), and logs a warning for every request slower than
 * a threshold.
 *
 * <p>The slow-request warning goes to the logger {@value #SLOW_REQUEST_LOGGER} once the request completes, with the
 * method, the path as received (never the query string, which may carry secrets), the status and the duration, for
 * example {@code slow request: POST /api/export took 125.31 s (threshold 120 s), status 200}. An asynchronous request
 * holds its slot, and is timed, until its async context completes.
 *
 * <p>Instances are immutable and safe for concurrent use (the limiter holds the state).
 */
public final class OverloadProtectionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The logger of slow-request warnings. */
    public static final String SLOW_REQUEST_LOGGER = "bulwark.slow-requests";

    /** The seed's worker timeout, the default slow-request threshold: 120 s. */
    public static final Duration DEFAULT_SLOW_REQUEST_THRESHOLD = Duration.ofSeconds(120);

    private static final Logger SLOW = LoggerFactory.getLogger(SLOW_REQUEST_LOGGER);

    private final transient @Nullable ConcurrencyLimiter limiter;
    private final @Nullable Duration slowRequestThreshold;
    private final long thresholdNanos;
    private final transient TimeSource time;

    /**
     * Creates the filter.
     *
     * @param limiter the limiter, or {@code null} to admit every request
     * @param slowRequestThreshold the duration above which a request is logged, or {@code null} for no log
     * @throws IllegalArgumentException if both are null, or the threshold is not positive
     */
    public OverloadProtectionFilter(@Nullable ConcurrencyLimiter limiter, @Nullable Duration slowRequestThreshold) {
        this(limiter, slowRequestThreshold, TimeSource.system());
    }

    /** Creates the filter with a clock, for tests; see {@link #OverloadProtectionFilter(ConcurrencyLimiter, Duration)}. */
    public OverloadProtectionFilter(
            @Nullable ConcurrencyLimiter limiter, @Nullable Duration slowRequestThreshold, TimeSource time) {
        Checks.requireArgument(
                limiter != null || slowRequestThreshold != null,
                "overload protection needs a concurrency limiter or a slow-request threshold");
        Checks.requireArgument(
                slowRequestThreshold == null || (!slowRequestThreshold.isNegative() && !slowRequestThreshold.isZero()),
                "slow request threshold must be positive: %s",
                slowRequestThreshold);
        this.limiter = limiter;
        this.slowRequestThreshold = slowRequestThreshold;
        this.thresholdNanos = slowRequestThreshold == null ? Long.MAX_VALUE : slowRequestThreshold.toNanos();
        this.time = requireNonNull(time, "time");
    }

    /** Returns the limiter, or {@code null} when every request is admitted. */
    public @Nullable ConcurrencyLimiter limiter() {
        return limiter;
    }

    /** Returns the slow-request threshold, or {@code null} when slow requests are not logged. */
    public @Nullable Duration slowRequestThreshold() {
        return slowRequestThreshold;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ConcurrencyLimiter l = limiter;
        boolean acquired = false;
        if (l != null && !l.isExempt(ServletRequestView.pathWithinApplication(request))) {
            AdmissionDecision decision = l.tryAcquire();
            if (!decision.admitted()) {
                Rejections.mark(request, decision.rejection());
                response.setStatus(503);
                response.setHeader("Retry-After", Long.toString(l.retryAfterSeconds()));
                response.setContentType("application/problem+json");
                response.setContentLength(l.rejectionLength(decision));
                l.writeRejection(decision, response.getOutputStream());
                return;
            }
            acquired = true;
        }
        long start = slowRequestThreshold == null ? 0 : time.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            boolean release = acquired;
            Completion.onComplete(request, () -> {
                if (release && l != null) {
                    l.release();
                }
                if (slowRequestThreshold != null) {
                    long elapsed = time.nanoTime() - start;
                    if (elapsed > thresholdNanos) {
                        logSlow(request, response, elapsed);
                    }
                }
            });
        }
    }

    private void logSlow(HttpServletRequest request, HttpServletResponse response, long elapsedNanos) {
        if (SLOW.isWarnEnabled()) {
            SLOW.warn(
                    "slow request: {} {} took {} s (threshold {} s), status {}",
                    Checks.escape(request.getMethod()),
                    Checks.escape(request.getRequestURI()),
                    String.format(Locale.ROOT, "%.2f", elapsedNanos / 1e9),
                    seconds(requireNonNull(slowRequestThreshold)),
                    response.getStatus());
        }
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    @Override
    public String toString() {
        return "OverloadProtectionFilter[" + limiter + ", slow=" + slowRequestThreshold + "]";
    }
}
