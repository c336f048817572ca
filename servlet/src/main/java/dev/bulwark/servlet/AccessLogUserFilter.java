package dev.bulwark.servlet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * Records the authenticated user's name for the access log, in the request attribute {@link #ATTRIBUTE}.
 *
 * <p>Security frameworks such as Spring Security expose the principal only inside their own filter chain (on a
 * request wrapper, cleared when the chain returns), where {@link AccessLogFilter}, which runs first, cannot see it.
 * Install this filter after authentication ({@link FilterOrder#AFTER_AUTHENTICATION}); the Spring adapter does. With
 * container authentication it is not needed. Stateless and safe for concurrent use.
 */
public final class AccessLogUserFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The request attribute holding the user's name (a {@code String}). */
    public static final String ATTRIBUTE = "dev.bulwark.accessLog.user";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            request.setAttribute(ATTRIBUTE, principal.getName());
        }
        chain.doFilter(request, response);
    }
}
