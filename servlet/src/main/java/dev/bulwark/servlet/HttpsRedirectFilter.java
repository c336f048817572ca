package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.headers.HttpsRedirect;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Redirects plain-HTTP requests to HTTPS ({@code 301} for GET/HEAD, {@code 308} otherwise), and optionally to a
 * canonical host.
 *
 * <p>Reads the proxy-aware scheme and host, so it must run after {@link ClientIdentityFilter}. Without a canonical
 * host the redirect reflects the requested host, so it is sent with {@code Cache-Control: no-store}: a shared cache
 * must not replay it to other clients. Instances are immutable
 * and safe for concurrent use.
 */
public final class HttpsRedirectFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient HttpsRedirect redirect;

    /** Creates the filter over a redirect decision. */
    public HttpsRedirectFilter(HttpsRedirect redirect) {
        this.redirect = requireNonNull(redirect, "redirect");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<HttpsRedirect.Redirect> decision =
                redirect.decide(ServletRequestView.of(request), request.isSecure(), request.getServerName());
        if (decision.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        HttpsRedirect.Redirect r = decision.get();
        response.setStatus(r.status());
        response.setHeader("Location", r.location());
        if (redirect.canonicalHost().isEmpty()) {
            // the location reflects the host the request named (possibly via a proxy's X-Forwarded-Host): never let a
            // shared cache replay it to other clients
            response.setHeader("Cache-Control", "no-store");
        }
        response.setContentLength(0);
    }
}
