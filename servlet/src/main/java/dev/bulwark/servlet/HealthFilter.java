package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.IpAddress;
import dev.bulwark.core.client.ResolvedClient;
import dev.bulwark.core.client.TrustedProxies;
import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthFormat;
import dev.bulwark.core.health.HealthLifecycle;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.HealthResponse;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the health endpoints of a {@link HealthRegistry} and counts every other request in flight, for the graceful
 * drain.
 *
 * <p><b>Endpoints.</b> {@code GET} or {@code HEAD} on {@code <base>/live}, {@code <base>/ready} and {@code
 * <base>/started} (base path {@value #DEFAULT_BASE_PATH} by default), and {@code <base>/<group>} for a custom group,
 * evaluate the group ({@link HealthRegistry#evaluate(String)}: parallel, bounded by the group deadline, cached) and
 * answer {@code 200} ({@code UP}, {@code WARN}) or {@code 503} ({@code DOWN}) with {@code Cache-Control: no-store} and
 * an {@code application/health+json} body (or the minimal {@code {"status":"UP"}}, {@link Builder#format}); {@code
 * HEAD} gets the same status and headers without a body. Other methods get {@code 405} with {@code Allow: GET, HEAD}. A
 * path under the base path that names no group (such as {@code /health/info}) is passed on to the application. Probe
 * details are shown only as configured ({@link Builder#details}, default {@link HealthDetails#NEVER}); with {@link
 * HealthDetails#WHEN_AUTHORIZED} the {@linkplain Builder#authorizer authorizer} decides per request.
 *
 * <p><b>In-flight requests.</b> Every request that is not a health request is counted with {@link
 * HealthLifecycle#requestStarted()} before the chain and {@link HealthLifecycle#requestFinished()} after it (for an
 * asynchronous request, when it completes), so {@link dev.bulwark.core.health.GracefulShutdown} can wait for them.
 * Health requests are not counted: a probe arriving while draining must not delay the drain.
 *
 * <p><b>Order.</b> {@link Bulwark#install} registers the filter at {@link FilterOrder#HEALTH}: after client identity
 * (the authorizer may look at the real client address) and the security headers, before the HTTPS redirect, cookie
 * hardening, CORS, rate limiting and the application's security, so that a load balancer probing over plain HTTP
 * without credentials always gets an answer.
 *
 * <p><b>Lifecycle.</b> Readiness and startup answer {@code 503} until {@link HealthLifecycle#markStarted()} is called;
 * the filter does not call it. Register {@link HealthLifecycleListener}, or call it yourself once the application is
 * ready, and call {@link dev.bulwark.core.health.GracefulShutdown#shutdown()} before the server stops.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe.
 */
public final class HealthFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(HealthFilter.class);

    /** The default base path: {@code /health}, so the endpoints are {@code /health/live|ready|started}. */
    public static final String DEFAULT_BASE_PATH = "/health";

    private final transient HealthRegistry registry;
    private final String basePath;
    private final String prefix;
    private final HealthFormat format;
    private final HealthDetails details;
    private final transient Predicate<HttpServletRequest> authorizer;

    private HealthFilter(Builder b) {
        this.registry = b.registry;
        this.basePath = b.basePath;
        this.prefix = "/".equals(b.basePath) ? "/" : b.basePath + "/";
        this.format = b.format;
        this.details = b.details;
        this.authorizer = b.authorizer;
    }

    /** Returns a filter with the defaults: base path {@value #DEFAULT_BASE_PATH}, health+json, no details. */
    public static HealthFilter of(HealthRegistry registry) {
        return builder(registry).build();
    }

    /** Returns a builder for a filter serving the given registry. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Returns an authorizer accepting requests that carry a principal ({@code getUserPrincipal() != null}): users
     * authenticated by the container, or by a security filter mapped before this one. The default.
     */
    public static Predicate<HttpServletRequest> principalPresent() {
        return request -> request.getUserPrincipal() != null;
    }

    /**
     * Returns an authorizer accepting requests from the given addresses or CIDR blocks, such as {@code 10.0.0.0/8}
     * for an internal monitoring network. The address is the client resolved by {@link ClientIdentityFilter} (the
     * real client behind trusted proxies) when it ran first, otherwise {@code getRemoteAddr()}.
     *
     * @throws IllegalArgumentException if an entry is not an address or CIDR block
     */
    public static Predicate<HttpServletRequest> clientIn(Collection<String> networks) {
        TrustedProxies allowed;
        try {
            allowed = TrustedProxies.of(requireNonNull(networks, "networks"));
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(
                    message.startsWith("trusted proxy")
                            ? "health authorized network" + message.substring("trusted proxy".length())
                            : message,
                    e);
        }
        return request -> {
            ResolvedClient client = ClientIdentityFilter.resolvedClient(request);
            IpAddress address = client != null
                    ? client.address()
                    : IpAddress.parse(request.getRemoteAddr()).orElse(null);
            return address != null && allowed.contains(address);
        };
    }

    /** Returns the registry. */
    public HealthRegistry registry() {
        return registry;
    }

    /** Returns the base path, such as {@code /health}. */
    public String basePath() {
        return basePath;
    }

    /** Returns the body format. */
    public HealthFormat format() {
        return format;
    }

    /** Returns what the body reveals. */
    public HealthDetails details() {
        return details;
    }

    /**
     * Returns the group a request path (within the application) is for, or {@code null} when it is not a health
     * endpoint.
     */
    @Nullable
    String groupFor(String path) {
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return null;
        }
        String segment = path.substring(prefix.length());
        if (segment.indexOf('/') >= 0) {
            return null;
        }
        return registry.groupForPath(segment).orElse(null);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String group = groupFor(ServletRequestView.pathWithinApplication(request));
        if (group != null) {
            serve(request, response, group);
            return;
        }
        HealthLifecycle lifecycle = registry.lifecycle();
        lifecycle.requestStarted();
        boolean finishedLater = false;
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                try {
                    request.getAsyncContext().addListener(new FinishOnComplete(lifecycle));
                    finishedLater = true;
                } catch (IllegalStateException e) {
                    // already completed: count it as finished now
                }
            }
            if (!finishedLater) {
                lifecycle.requestFinished();
            }
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, String group) throws IOException {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setHeader("Allow", "GET, HEAD");
            response.setHeader("Cache-Control", HealthResponse.CACHE_CONTROL);
            response.setContentLength(0);
            return;
        }
        GroupResult result = registry.evaluate(group);
        HealthDetails level = details == HealthDetails.WHEN_AUTHORIZED ? details.resolve(authorized(request)) : details;
        HealthResponse rendered = HealthResponse.render(result, format, level);
        byte[] body = rendered.body();
        response.setStatus(rendered.statusCode());
        response.setHeader("Cache-Control", HealthResponse.CACHE_CONTROL);
        response.setContentType(rendered.contentType());
        response.setContentLength(body.length);
        if (!head) {
            response.getOutputStream().write(body);
        }
    }

    private boolean authorized(HttpServletRequest request) {
        try {
            return authorizer.test(request);
        } catch (RuntimeException e) {
            log.warn("health details authorizer failed; showing no details", e);
            return false;
        }
    }

    @Override
    public String toString() {
        return "HealthFilter{" + basePath + ", " + format + ", details=" + details + "}";
    }

    /** Counts an asynchronous request as finished once, when it completes. */
    private static final class FinishOnComplete implements AsyncListener {
        private final HealthLifecycle lifecycle;
        private final AtomicBoolean done = new AtomicBoolean();

        FinishOnComplete(HealthLifecycle lifecycle) {
            this.lifecycle = lifecycle;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            if (done.compareAndSet(false, true)) {
                lifecycle.requestFinished();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the container completes the request after the timeout handling: counted in onComplete
        }

        @Override
        public void onError(AsyncEvent event) {
            // as for onTimeout
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a new async cycle of the same request: keep listening
            event.getAsyncContext().addListener(this);
        }
    }

    /** Builds a {@link HealthFilter}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private final HealthRegistry registry;
        private String basePath = DEFAULT_BASE_PATH;
        private HealthFormat format = HealthFormat.HEALTH_JSON;
        private HealthDetails details = HealthDetails.NEVER;
        private Predicate<HttpServletRequest> authorizer = principalPresent();

        private Builder(HealthRegistry registry) {
            this.registry = requireNonNull(registry, "registry");
        }

        /**
         * Sets the base path of the endpoints (default {@value #DEFAULT_BASE_PATH}); a trailing slash is dropped, and
         * {@code /} serves {@code /live}, {@code /ready} and {@code /started}.
         *
         * @throws IllegalArgumentException if the path does not start with {@code /}, or contains {@code //}, {@code
         *     *}, {@code ?}, {@code #}, {@code ;}, {@code ..}, whitespace or control characters
         */
        public Builder basePath(String path) {
            this.basePath = normalize(requireNonNull(path, "path"));
            return this;
        }

        /** Sets the body format (default {@link HealthFormat#HEALTH_JSON}). */
        public Builder format(HealthFormat format) {
            this.format = requireNonNull(format, "format");
            return this;
        }

        /** Sets what the body reveals (default {@link HealthDetails#NEVER}). */
        public Builder details(HealthDetails details) {
            this.details = requireNonNull(details, "details");
            return this;
        }

        /**
         * Sets who sees details with {@link HealthDetails#WHEN_AUTHORIZED} (default {@link #principalPresent()});
         * called on the request thread, must be fast and non-blocking; a failure counts as not authorized. Combine
         * the factories: {@code principalPresent().or(clientIn(List.of("10.0.0.0/8")))}.
         */
        public Builder authorizer(Predicate<HttpServletRequest> authorizer) {
            this.authorizer = requireNonNull(authorizer, "authorizer");
            return this;
        }

        /** Returns the filter. */
        public HealthFilter build() {
            return new HealthFilter(this);
        }

        static String normalize(String path) {
            String p = path.strip();
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("health base path must start with '/': '" + path + "'");
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c <= 0x20 || c == 0x7f || c == '*' || c == '?' || c == '#' || c == ';') {
                    throw new IllegalArgumentException(
                            "health base path must be a plain path such as /health, without wildcards, query,"
                                    + " parameters or spaces: '" + path + "'");
                }
            }
            if (p.contains("//") || p.contains("/../") || p.endsWith("/..") || p.contains("/./") || p.endsWith("/.")) {
                throw new IllegalArgumentException(
                        "health base path must be a normalized path such as /health: '" + path + "'");
            }
            return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }
    }
}
