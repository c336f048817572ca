package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.cors.CorsDecision;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Applies {@link Cors} policies: answers preflights itself ({@code 204} with the CORS headers, or {@code 403} without
 * any), adds the CORS headers and {@code Vary: Origin} to actual requests, and lets everything else through.
 *
 * <p>It runs before the application's security ({@link FilterOrder#CORS}), so a preflight, which never carries
 * credentials, is answered before authentication or rate limiting could reject it; and after {@link
 * ClientIdentityFilter}, so that same-origin detection uses the client's scheme and host. Instances are immutable and
 * safe for concurrent use.
 */
public final class CorsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient Cors cors;

    /** Creates the filter over a CORS engine. */
    public CorsFilter(Cors cors) {
        this.cors = requireNonNull(cors, "cors");
    }

    /** Returns the CORS engine. */
    public Cors cors() {
        return cors;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CorsDecision decision = cors.evaluate(ServletRequestView.of(request));
        if (decision.outcome() == CorsDecision.Outcome.NOT_APPLICABLE) {
            chain.doFilter(request, response);
            return;
        }
        decision.writeTo(new ServletResponseHeaders(response));
        if (decision.isPreflight()) {
            if (decision.outcome() == CorsDecision.Outcome.PREFLIGHT_REJECTED) {
                Rejections.mark(request, Rejections.cors(decision.reason()));
            }
            response.setStatus(decision.status()); // no body; a 204 must not carry Content-Length (RFC 9110 8.6)
            return;
        }
        chain.doFilter(request, response);
    }
}
