package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.ResponseHeaders;
import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Adds the security headers of a {@link SecurityHeadersPolicy} to every response.
 *
 * <p>Headers are written before the application runs, and only when the response does not carry them yet; the
 * application can still replace any of them: {@code setHeader} replaces as usual, and the first {@code addHeader} of
 * a header Bulwark wrote replaces Bulwark's value instead of adding a second one (so a framework that adds its own
 * {@code Cache-Control} does not produce two). Because the headers are present early, Spring Security's header
 * writers, which skip headers already present, do not add conflicting values. HSTS is sent only on requests that are
 * secure as the client sent them, which needs {@link ClientIdentityFilter} in front when TLS ends at a proxy.
 *
 * <p>When the policy's CSP uses {@code 'nonce-{nonce}'}, a fresh nonce is created per request and stored in the
 * request attribute {@link #NONCE_ATTRIBUTE} for templates to use. Instances are immutable and safe for concurrent
 * use.
 */
public final class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String ERROR_CACHE_CONTROL = "no-store";

    /** The request attribute holding the per-request CSP nonce (a {@code String}). */
    public static final String NONCE_ATTRIBUTE = "dev.bulwark.cspNonce";

    private final transient SecurityHeadersPolicy policy;

    /** Creates the filter over a policy. */
    public SecurityHeadersFilter(SecurityHeadersPolicy policy) {
        this.policy = requireNonNull(policy, "policy");
    }

    /** Returns the policy. */
    public SecurityHeadersPolicy policy() {
        return policy;
    }

    /** Returns the CSP nonce of this request, or {@code null} when the policy uses none. */
    public static @Nullable String nonce(ServletRequest request) {
        return request.getAttribute(NONCE_ATTRIBUTE) instanceof String nonce ? nonce : null;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String nonce = null;
        if (policy.usesNonce()) {
            nonce = ContentSecurityPolicy.newNonce();
            request.setAttribute(NONCE_ATTRIBUTE, nonce);
        }
        String path = policy.pathIndependent() ? "/" : ServletRequestView.pathWithinApplication(request);
        HeadersResponse wrapped = new HeadersResponse(response, policy, path, request.isSecure(), nonce);
        chain.doFilter(request, wrapped);
    }

    /**
     * Lets the application replace the headers Bulwark wrote, and re-applies them after a reset. Doubles as the
     * {@link ResponseHeaders} sink the policy writes into, so a request costs one small allocation.
     */
    static final class HeadersResponse extends HttpServletResponseWrapper implements ResponseHeaders {
        private final HttpServletResponse target;
        private final SecurityHeadersPolicy policy;
        private final String path;
        private final boolean secure;
        private final @Nullable String nonce;
        private long written;

        HeadersResponse(
                HttpServletResponse response,
                SecurityHeadersPolicy policy,
                String path,
                boolean secure,
                @Nullable String nonce) {
            super(response);
            this.target = response;
            this.policy = policy;
            this.path = path;
            this.secure = secure;
            this.nonce = nonce;
            this.written = policy.apply(path, secure, this, nonce);
        }

        // ResponseHeaders: the policy writes straight to the wrapped response

        @Override
        public boolean contains(String name) {
            return target.containsHeader(name);
        }

        @Override
        public @Nullable String get(String name) {
            return target.getHeader(name);
        }

        @Override
        public void set(String name, String value) {
            target.setHeader(name, value);
        }

        @Override
        public void add(String name, String value) {
            target.addHeader(name, value);
        }

        @Override
        public boolean isEmpty() {
            return target.getHeaderNames().isEmpty();
        }

        /** Returns true, and forgets the header, when Bulwark wrote it and the application had not touched it. */
        private boolean ours(String name) {
            if (written == 0L) {
                return false;
            }
            int slot = policy.slotOf(name);
            if (slot < 0 || (written & (1L << slot)) == 0L) {
                return false;
            }
            written &= ~(1L << slot);
            return true;
        }

        @Override
        public void setHeader(String name, String value) {
            ours(name);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            if (ours(name)) {
                super.setHeader(name, value);
            } else {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setDateHeader(String name, long date) {
            ours(name);
            super.setDateHeader(name, date);
        }

        @Override
        public void addDateHeader(String name, long date) {
            if (ours(name)) {
                super.setDateHeader(name, date);
            } else {
                super.addDateHeader(name, date);
            }
        }

        @Override
        public void setIntHeader(String name, int value) {
            ours(name);
            super.setIntHeader(name, value);
        }

        @Override
        public void addIntHeader(String name, int value) {
            if (ours(name)) {
                super.setIntHeader(name, value);
            } else {
                super.addIntHeader(name, value);
            }
        }

        /**
         * Error responses must not inherit a cache rule meant for the content (a 404 for {@code /static/app.js}
         * cached as {@code immutable}): the {@code Cache-Control} Bulwark wrote becomes {@code no-store}.
         */
        private void onStatus(int status) {
            if (status >= 400 && written != 0L) {
                int slot = policy.slotOf(SecurityHeadersPolicy.CACHE_CONTROL);
                if (slot >= 0 && (written & (1L << slot)) != 0L) {
                    target.setHeader(SecurityHeadersPolicy.CACHE_CONTROL, ERROR_CACHE_CONTROL);
                }
            }
        }

        @Override
        public void setStatus(int sc) {
            onStatus(sc);
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc) throws IOException {
            onStatus(sc);
            super.sendError(sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            onStatus(sc);
            super.sendError(sc, msg);
        }

        @Override
        public void reset() {
            super.reset();
            written = policy.apply(path, secure, this, nonce);
        }
    }
}
