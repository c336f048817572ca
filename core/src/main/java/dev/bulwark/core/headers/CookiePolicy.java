package dev.bulwark.core.headers;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Hardens {@code Set-Cookie} headers: adds {@code Secure}, {@code HttpOnly} and {@code SameSite} to the cookies it
 * applies to, keeping any attribute the application set explicitly.
 *
 * <p>Defaults: applies to the session cookie (the servlet module adds the container's session cookie name) and to
 * the configured names; with {@link Builder#allCookies(boolean)} every other cookie gets {@code Secure} and {@code
 * SameSite} too, but not {@code HttpOnly}, which scripts may need to be absent (a CSRF token cookie); {@code Secure} on secure requests ({@link SecureMode#AUTO}, proxy-aware), {@code HttpOnly},
 * {@code SameSite=Lax}. {@code SameSite=None} requires {@link SecureMode#ALWAYS}: browsers drop {@code SameSite=None}
 * cookies without {@code Secure}, so that combination fails when the policy is built.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe.
 */
public final class CookiePolicy {

    /** When to add the {@code Secure} attribute. */
    public enum SecureMode {
        /** On requests that are secure as the client sent them (behind a trusted TLS proxy too). */
        AUTO,
        /** Always; for sites that are only served over HTTPS. */
        ALWAYS,
        /** Never (not recommended). */
        NEVER
    }

    /** Values of the {@code SameSite} attribute (RFC 6265bis section 4.1.2.7). */
    public enum SameSite {
        STRICT("Strict"),
        LAX("Lax"),
        NONE("None");

        private final String value;

        SameSite(String value) {
            this.value = value;
        }

        /** Returns the attribute value, e.g. {@code Lax}. */
        public String value() {
            return value;
        }
    }

    private final SecureMode secure;
    private final boolean httpOnly;
    private final @Nullable SameSite sameSite;
    private final Set<String> names;
    private final boolean allCookies;

    private CookiePolicy(Builder b) {
        this.secure = b.secure;
        this.httpOnly = b.httpOnly;
        this.sameSite = b.sameSite;
        this.names = Set.copyOf(b.names);
        this.allCookies = b.allCookies;
    }

    /** Returns the default policy (session cookie only: Secure on secure requests, HttpOnly, SameSite=Lax). */
    public static CookiePolicy defaults() {
        return builder().build();
    }

    /** Returns a new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the secure mode. */
    public SecureMode secure() {
        return secure;
    }

    /** Returns whether {@code HttpOnly} is added. */
    public boolean httpOnly() {
        return httpOnly;
    }

    /** Returns the {@code SameSite} value added, or {@code null} when none is added. */
    public @Nullable SameSite sameSite() {
        return sameSite;
    }

    /** Returns the cookie names hardened besides the session cookie. */
    public Set<String> cookieNames() {
        return names;
    }

    /** Returns whether every cookie is hardened. */
    public boolean allCookies() {
        return allCookies;
    }

    /** Returns whether the cookie of this name is hardened ({@code sessionCookieName} always is). */
    public boolean appliesTo(String cookieName, String sessionCookieName) {
        return allCookies || cookieName.equals(sessionCookieName) || names.contains(cookieName);
    }

    /**
     * Returns whether {@code HttpOnly} is added to the cookie: to the session cookie and the named cookies, but not to
     * the rest under {@link #allCookies()}, since scripts legitimately read some cookies (such as a CSRF token cookie
     * like {@code XSRF-TOKEN}).
     */
    public boolean addsHttpOnly(String cookieName, String sessionCookieName) {
        return httpOnly && (cookieName.equals(sessionCookieName) || names.contains(cookieName));
    }

    /** Returns whether {@code Secure} is added for a request of this security. */
    public boolean addsSecure(boolean secureRequest) {
        return secure == SecureMode.ALWAYS || (secure == SecureMode.AUTO && secureRequest);
    }

    /**
     * Returns the hardened {@code Set-Cookie} value, or the same instance when the cookie is not covered or already
     * carries every attribute.
     *
     * @param setCookie a {@code Set-Cookie} header value
     * @param secureRequest whether the request is secure as the client sent it
     * @param sessionCookieName the container's session cookie name
     */
    public String harden(String setCookie, boolean secureRequest, String sessionCookieName) {
        int eq = setCookie.indexOf('=');
        int semi = setCookie.indexOf(';');
        if (eq <= 0 || (semi >= 0 && semi < eq)) {
            return setCookie; // not a name=value cookie; leave it alone
        }
        String name = setCookie.substring(0, eq).trim();
        if (!appliesTo(name, sessionCookieName)) {
            return setCookie;
        }
        boolean hasSecure = false;
        boolean hasHttpOnly = false;
        String existingSameSite = null;
        int i = semi;
        while (i >= 0 && i < setCookie.length()) {
            int next = setCookie.indexOf(';', i + 1);
            int end = next < 0 ? setCookie.length() : next;
            String attr = setCookie.substring(i + 1, end).trim();
            int aeq = attr.indexOf('=');
            String attrName = (aeq < 0 ? attr : attr.substring(0, aeq)).trim();
            if (attrName.equalsIgnoreCase("Secure")) {
                hasSecure = true;
            } else if (attrName.equalsIgnoreCase("HttpOnly")) {
                hasHttpOnly = true;
            } else if (attrName.equalsIgnoreCase("SameSite")) {
                existingSameSite = aeq < 0 ? "" : attr.substring(aeq + 1).trim();
            }
            i = next;
        }
        boolean needsSecure = !hasSecure
                && (addsSecure(secureRequest)
                        || (secure != SecureMode.NEVER && "none".equalsIgnoreCase(existingSameSite)));
        boolean needsHttpOnly = !hasHttpOnly && addsHttpOnly(name, sessionCookieName);
        boolean needsSameSite = sameSite != null && existingSameSite == null;
        if (!needsSecure && !needsHttpOnly && !needsSameSite) {
            return setCookie;
        }
        StringBuilder sb = new StringBuilder(setCookie.length() + 32).append(setCookie);
        if (needsSecure) {
            sb.append("; Secure");
        }
        if (needsHttpOnly) {
            sb.append("; HttpOnly");
        }
        if (needsSameSite) {
            sb.append("; SameSite=").append(sameSite.value());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "CookiePolicy{secure=" + secure + ", httpOnly=" + httpOnly + ", sameSite=" + sameSite + ", names="
                + names + ", allCookies=" + allCookies + "}";
    }

    /** Builds a {@link CookiePolicy}; setters validate eagerly; not thread-safe. */
    public static final class Builder {
        private SecureMode secure = SecureMode.AUTO;
        private boolean httpOnly = true;
        private @Nullable SameSite sameSite = SameSite.LAX;
        private final Set<String> names = new LinkedHashSet<>();
        private boolean allCookies;

        private Builder() {}

        /** Sets when {@code Secure} is added (default {@link SecureMode#AUTO}). */
        public Builder secure(SecureMode mode) {
            this.secure = requireNonNull(mode, "mode");
            return this;
        }

        /** Sets whether {@code HttpOnly} is added (default true). */
        public Builder httpOnly(boolean httpOnly) {
            this.httpOnly = httpOnly;
            return this;
        }

        /** Sets the {@code SameSite} value added when a cookie has none (default {@code Lax}); null adds none. */
        public Builder sameSite(@Nullable SameSite sameSite) {
            this.sameSite = sameSite;
            return this;
        }

        /**
         * Adds cookie names to harden besides the session cookie.
         *
         * @throws IllegalArgumentException if a name is not a valid cookie name (an HTTP token)
         */
        public Builder cookieNames(Collection<String> cookieNames) {
            for (String n : cookieNames) {
                requireNonNull(n, "cookie name");
                requireArgument(
                        dev.bulwark.core.internal.Checks.isToken(n),
                        "cookie name must be an HTTP token: '%s'",
                        escape(n));
                names.add(n);
            }
            return this;
        }

        /** Sets whether every cookie is hardened, not only the named ones (default false). */
        public Builder allCookies(boolean allCookies) {
            this.allCookies = allCookies;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if {@code SameSite=None} is combined with a secure mode other than {@code
         *     ALWAYS}
         */
        public CookiePolicy build() {
            requireArgument(
                    sameSite != SameSite.NONE || secure == SecureMode.ALWAYS,
                    "cookie same-site=None requires secure=always (browsers reject SameSite=None cookies without"
                            + " Secure); set secure to always or choose same-site Lax or Strict, got secure=%s",
                    secure.name().toLowerCase(java.util.Locale.ROOT));
            return new CookiePolicy(this);
        }
    }
}
