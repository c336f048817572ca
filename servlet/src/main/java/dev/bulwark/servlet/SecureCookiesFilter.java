package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.headers.CookiePolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Hardens cookies per a {@link CookiePolicy}: {@code Secure}, {@code HttpOnly} and {@code SameSite} are added to the
 * session cookie and the configured cookies, keeping any attribute the application set.
 *
 * <p>Cookies added through the response ({@code addCookie}, or a {@code Set-Cookie} header) are hardened as they are
 * added. The container's own session cookie bypasses response wrappers, so the filter also rewrites the {@code
 * Set-Cookie} headers once, just before the body starts ({@code getOutputStream}, {@code getWriter}, {@code
 * flushBuffer}, {@code sendError}, {@code sendRedirect}) or when the chain returns. {@code Secure} follows the request
 * as the client sent it, which needs {@link ClientIdentityFilter} in front when TLS ends at a proxy.
 *
 * <p>Instances are immutable and safe for concurrent use.
 */
public final class SecureCookiesFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String SET_COOKIE = "Set-Cookie";
    private static final String SAME_SITE = "SameSite";

    private final transient CookiePolicy policy;
    private volatile String sessionCookieName = "JSESSIONID";

    /** Creates the filter over a policy. */
    public SecureCookiesFilter(CookiePolicy policy) {
        this.policy = requireNonNull(policy, "policy");
    }

    /**
     * Sets the policy's attributes on the container's session cookie configuration, so that a session cookie the
     * container writes after the body has started (out of reach of the filter) is hardened too: {@code HttpOnly},
     * {@code SameSite}, and {@code Secure} when the mode is {@link CookiePolicy.SecureMode#ALWAYS}. Values already
     * configured are kept. Call it while the context is being initialized; later calls are ignored.
     *
     * @return whether the configuration was applied
     */
    public static boolean configureSessionCookie(ServletContext context, CookiePolicy policy) {
        SessionCookieConfig config = context.getSessionCookieConfig();
        if (config == null) {
            return false;
        }
        try {
            if (policy.httpOnly()) {
                config.setHttpOnly(true);
            }
            if (policy.secure() == CookiePolicy.SecureMode.ALWAYS) {
                config.setSecure(true);
            }
            if (policy.sameSite() != null && config.getAttribute(SAME_SITE) == null) {
                config.setAttribute(SAME_SITE, policy.sameSite().value());
            }
            return true;
        } catch (IllegalStateException | UnsupportedOperationException e) {
            return false; // the context is already initialized; the filter still rewrites Set-Cookie headers
        }
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        // a context without session support (Jetty's ServletContextHandler by default) has no cookie config
        SessionCookieConfig cookieConfig = config.getServletContext().getSessionCookieConfig();
        String name = cookieConfig == null ? null : cookieConfig.getName();
        if (name != null && !name.isEmpty()) {
            sessionCookieName = name;
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CookieResponse wrapped = new CookieResponse(response, policy, request.isSecure(), sessionCookieName);
        try {
            chain.doFilter(request, wrapped);
        } finally {
            wrapped.beforeBody(); // also when the application threw: its error page must not carry a weak cookie
        }
    }

    static final class CookieResponse extends HttpServletResponseWrapper {
        private final CookiePolicy policy;
        private final boolean secure;
        private final String sessionCookieName;

        CookieResponse(HttpServletResponse response, CookiePolicy policy, boolean secure, String sessionCookieName) {
            super(response);
            this.policy = policy;
            this.secure = secure;
            this.sessionCookieName = sessionCookieName;
        }

        @Override
        public void addCookie(Cookie cookie) {
            if (policy.appliesTo(cookie.getName(), sessionCookieName)) {
                if (policy.addsSecure(secure) || "none".equalsIgnoreCase(cookie.getAttribute(SAME_SITE))) {
                    if (policy.secure() != CookiePolicy.SecureMode.NEVER) {
                        cookie.setSecure(true);
                    }
                }
                if (policy.addsHttpOnly(cookie.getName(), sessionCookieName)) {
                    cookie.setHttpOnly(true);
                }
                if (policy.sameSite() != null && cookie.getAttribute(SAME_SITE) == null) {
                    cookie.setAttribute(SAME_SITE, policy.sameSite().value());
                }
            }
            super.addCookie(cookie);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, SET_COOKIE.equalsIgnoreCase(name) && value != null ? harden(value) : value);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, SET_COOKIE.equalsIgnoreCase(name) && value != null ? harden(value) : value);
        }

        private String harden(String value) {
            return policy.harden(value, secure, sessionCookieName);
        }

        /** Rewrites Set-Cookie headers added behind the wrapper's back (the container's session cookie). */
        void beforeBody() {
            if (isCommitted()) {
                return;
            }
            HttpServletResponse response = (HttpServletResponse) getResponse();
            if (!response.containsHeader(SET_COOKIE)) {
                return;
            }
            Collection<String> values = response.getHeaders(SET_COOKIE);
            List<String> hardened = new ArrayList<>(values.size());
            boolean changed = false;
            for (String v : values) {
                String h = harden(v);
                changed |= h != v;
                hardened.add(h);
            }
            if (changed) {
                response.setHeader(SET_COOKIE, hardened.get(0));
                for (int i = 1; i < hardened.size(); i++) {
                    response.addHeader(SET_COOKIE, hardened.get(i));
                }
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            beforeBody();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            beforeBody();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            beforeBody();
            super.flushBuffer();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            beforeBody();
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            beforeBody();
            super.sendError(sc);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            beforeBody();
            super.sendRedirect(location);
        }
    }
}
