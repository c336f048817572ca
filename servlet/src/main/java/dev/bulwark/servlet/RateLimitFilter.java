package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.IpAddress;
import dev.bulwark.core.client.ResolvedClient;
import dev.bulwark.core.ratelimit.RateLimitDecision;
import dev.bulwark.core.ratelimit.RateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Applies a {@link RateLimiter} to requests: adapts the request, asks the limiter, and either lets the request through
 * (with the rate-limit headers already set) or answers with the rejection status (429 by default),
 * {@code Retry-After} and a problem document, without calling the application.
 *
 * <p>Immutable and safe for concurrent use. The client address comes from {@link ClientIdentityFilter} (the real client
 * behind trusted proxies) when it ran before this filter, otherwise from {@code getRemoteAddr()}; the principal from
 * {@code getUserPrincipal()}, so Spring Security users and container-authenticated users are both counted by name.
 * A filter runs the policies of one {@link RateLimiter.Stage}: {@link Bulwark#install} uses one filter for every
 * policy; the Spring adapter uses two, around Spring Security, so that a login endpoint Spring Security answers itself
 * is still limited by address.
 */
public final class RateLimitFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient RateLimiter limiter;
    private final RateLimiter.Stage stage;

    /** Creates a filter running every policy of the limiter. */
    public RateLimitFilter(RateLimiter limiter) {
        this(limiter, RateLimiter.Stage.ALL);
    }

    /** Creates a filter running the policies of one stage. */
    public RateLimitFilter(RateLimiter limiter, RateLimiter.Stage stage) {
        this.limiter = requireNonNull(limiter, "limiter");
        this.stage = requireNonNull(stage, "stage");
    }

    /** Returns the limiter. */
    public RateLimiter limiter() {
        return limiter;
    }

    /** Returns the stage whose policies this filter runs. */
    public RateLimiter.Stage stage() {
        return stage;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        IpAddress client = request.getAttribute(ClientIdentityFilter.ATTRIBUTE) instanceof ResolvedClient resolved
                ? resolved.address()
                : null;
        RateLimitDecision decision =
                limiter.evaluate(ServletRequestView.of(request), client, new ServletResponseHeaders(response), stage);
        if (!decision.rejected()) {
            chain.doFilter(request, response);
            return;
        }
        Rejections.mark(
                request,
                decision.outcome() == RateLimitDecision.Outcome.UNAVAILABLE
                        ? Rejections.RATE_LIMIT_UNAVAILABLE
                        : Rejections.RATE_LIMITED);
        byte[] body = limiter.rejectionBody(decision);
        response.setStatus(limiter.status(decision));
        response.setContentType(limiter.contentType(decision));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
