package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.RequestListener;
import dev.bulwark.core.TimeSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every request to a {@link RequestListener} (for example {@code dev.bulwark.core.metrics.RequestMetrics}):
 * its start, and on completion its method, status, route pattern, duration and the {@linkplain Rejections Bulwark
 * rejection}, if any.
 *
 * <p>The route is never the raw path (ids would make it unbounded): Spring MVC's best-matching pattern (the request
 * attribute {@value #BEST_MATCHING_PATTERN}, such as {@code /api/items/{id}}) when present; else the first configured
 * route pattern that matches the path; else the servlet mapping that served the request ({@code /api/*}, {@code
 * *.json}, or the exact path of an exact mapping); else {@code UNKNOWN} (the default servlet, including Spring's
 * dispatcher when no handler matched). The method is a standard method or {@code OTHER}.
 *
 * <p>Runs right after {@link ClientIdentityFilter} ({@link FilterOrder#REQUEST_METRICS}), so that it times every
 * request, Bulwark's rejections included. A failing listener is logged once and never fails a request. Instances are
 * immutable and safe for concurrent use.
 */
public final class RequestMetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RequestMetricsFilter.class);

    /** Spring MVC's request attribute for the pattern of the handler mapping that matched. */
    public static final String BEST_MATCHING_PATTERN =
            "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    /** The route of requests no pattern or servlet mapping describes. */
    public static final String UNKNOWN_ROUTE = "UNKNOWN";

    private static final String[] METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"
    };

    private final transient RequestListener listener;
    private final transient List<PathPattern> routes;
    private final transient TimeSource time;
    private volatile boolean failureLogged;

    /** Creates the filter with no configured route patterns. */
    public RequestMetricsFilter(RequestListener listener) {
        this(listener, List.of());
    }

    /**
     * Creates the filter.
     *
     * @param routePatterns route patterns ({@link PathPattern} syntax) used as the route when no framework names one,
     *     first match wins
     * @throws IllegalArgumentException if a pattern is invalid
     */
    public RequestMetricsFilter(RequestListener listener, Collection<String> routePatterns) {
        this(listener, routePatterns, TimeSource.system());
    }

    /** Creates the filter with a clock, for tests. */
    public RequestMetricsFilter(RequestListener listener, Collection<String> routePatterns, TimeSource time) {
        this.listener = requireNonNull(listener, "listener");
        this.routes = PathPattern.listOf(requireNonNull(routePatterns, "routePatterns"));
        this.time = requireNonNull(time, "time");
    }

    /** Returns the listener. */
    public RequestListener listener() {
        return listener;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = time.nanoTime();
        try {
            listener.onStarted();
        } catch (RuntimeException e) {
            failed(e);
        }
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            boolean error = failed && !response.isCommitted();
            Completion.onComplete(request, () -> complete(request, response, start, error));
        }
    }

    private void complete(HttpServletRequest request, HttpServletResponse response, long start, boolean error) {
        try {
            listener.onCompleted(
                    method(request.getMethod()),
                    error ? 500 : response.getStatus(),
                    route(request),
                    time.nanoTime() - start,
                    Rejections.of(request));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("request listener {} failed; requests are unaffected (logged once)", listener, e);
        }
    }

    private static String method(String method) {
        for (String m : METHODS) {
            if (m.equals(method)) {
                return m;
            }
        }
        return "OTHER";
    }

    /** Returns the bounded route of a request; see the class documentation. */
    String route(HttpServletRequest request) {
        Object pattern = request.getAttribute(BEST_MATCHING_PATTERN);
        if (pattern != null) {
            return pattern.toString();
        }
        if (!routes.isEmpty()) {
            String path = ServletRequestView.pathWithinApplication(request);
            for (int i = 0, n = routes.size(); i < n; i++) {
                PathPattern route = routes.get(i);
                if (route.matches(path)) {
                    return route.toString();
                }
            }
        }
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping != null && mapping.getMappingMatch() != null) {
            MappingMatch match = mapping.getMappingMatch();
            if (match == MappingMatch.EXACT || match == MappingMatch.PATH || match == MappingMatch.EXTENSION) {
                return mapping.getPattern();
            }
            if (match == MappingMatch.CONTEXT_ROOT) {
                return "/";
            }
        }
        return UNKNOWN_ROUTE;
    }

    @Override
    public String toString() {
        return "RequestMetricsFilter[" + listener + ", routes=" + routes + "]";
    }
}
