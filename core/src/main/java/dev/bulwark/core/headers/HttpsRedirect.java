package dev.bulwark.core.headers;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.RequestView;
import dev.bulwark.core.client.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request must be redirected to HTTPS (and, optionally, to a canonical host).
 *
 * <p>The decision uses the <em>effective</em> scheme and host, as resolved behind trusted proxies by {@link
 * dev.bulwark.core.client.ClientAddressResolver}, so a TLS-terminating load balancer does not cause a redirect loop
 * and a spoofed {@code X-Forwarded-Proto} from an untrusted peer cannot suppress the redirect. {@code GET} and {@code
 * HEAD} get {@code 301}; every other method gets {@code 308}, which keeps the method and body (RFC 9110 section
 * 15.4.9). Exempt paths are anchored {@link PathPattern}s; by default the health endpoints ({@code /health/**} and
 * {@code /actuator/health/**}) are exempt, so probes over plain HTTP keep working.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe.
 */
public final class HttpsRedirect {

    /** Default exempt paths: Bulwark's and Spring Boot Actuator's health endpoints. */
    public static final List<String> DEFAULT_EXEMPT = List.of("/health/**", "/actuator/health/**");

    /**
     * A redirect to send.
     *
     * @param status {@code 301} or {@code 308}
     * @param location the absolute target URL
     */
    public record Redirect(int status, String location) {}

    private final List<PathPattern> exempt;
    private final @Nullable String canonicalHost;
    private final int httpsPort;

    private HttpsRedirect(Builder b) {
        this.exempt = PathPattern.listOf(b.exempt);
        this.canonicalHost = b.canonicalHost;
        this.httpsPort = b.httpsPort;
    }

    /** Returns a redirect with the default exemptions, no canonical host and port 443. */
    public static HttpsRedirect defaults() {
        return builder().build();
    }

    /** Returns a new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the exempt path patterns. */
    public List<PathPattern> exemptPaths() {
        return exempt;
    }

    /** Returns the canonical host, if one is set. */
    public Optional<String> canonicalHost() {
        return Optional.ofNullable(canonicalHost);
    }

    /**
     * Returns the redirect this request needs, if any.
     *
     * @param request the request (path, raw URI, query and method are read)
     * @param secure whether the request is secure as the client sent it (proxy-aware)
     * @param host the effective host the client addressed (proxy-aware)
     * @return the redirect, or empty when the request may proceed
     */
    public Optional<Redirect> decide(RequestView request, boolean secure, String host) {
        boolean wrongHost = canonicalHost != null && !canonicalHost.equalsIgnoreCase(host);
        if (secure && !wrongHost) {
            return Optional.empty();
        }
        if (!exempt.isEmpty() && PathPattern.anyMatches(exempt, request.path())) {
            return Optional.empty();
        }
        String targetHost = canonicalHost != null ? canonicalHost : host;
        if (!isValidHost(targetHost)) {
            return Optional.empty(); // cannot build a safe location; let the request through unchanged
        }
        StringBuilder location = new StringBuilder(64).append("https://");
        if (targetHost.indexOf(':') >= 0 && targetHost.charAt(0) != '[') {
            location.append('[').append(targetHost).append(']');
        } else {
            location.append(targetHost);
        }
        if (httpsPort != 443) {
            location.append(':').append(httpsPort);
        }
        String uri = request.requestUri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            location.append('/');
        }
        location.append(uri);
        String query = request.query();
        if (query != null) {
            location.append('?').append(query);
        }
        String method = request.method();
        int status = "GET".equals(method) || "HEAD".equals(method) ? 301 : 308;
        return Optional.of(new Redirect(status, location.toString()));
    }

    static boolean isValidHost(String host) {
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '-'
                    || c == ':'
                    || c == '['
                    || c == ']'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "HttpsRedirect{exempt=" + exempt + ", canonicalHost=" + canonicalHost + ", httpsPort=" + httpsPort + "}";
    }

    /** Builds an {@link HttpsRedirect}; setters validate eagerly; not thread-safe. */
    public static final class Builder {
        private final List<String> exempt = new ArrayList<>(DEFAULT_EXEMPT);
        private @Nullable String canonicalHost;
        private int httpsPort = 443;

        private Builder() {}

        /**
         * Replaces the exempt path patterns (default {@link #DEFAULT_EXEMPT}).
         *
         * @throws IllegalArgumentException if a pattern is invalid
         */
        public Builder exemptPaths(List<String> patterns) {
            PathPattern.listOf(patterns);
            exempt.clear();
            exempt.addAll(patterns);
            return this;
        }

        /**
         * Sets the host every redirect points to; requests for another host are redirected even when secure.
         *
         * @throws IllegalArgumentException if the value is not a plain host name or IP literal
         */
        public Builder canonicalHost(@Nullable String host) {
            if (host == null) {
                this.canonicalHost = null;
                return this;
            }
            String h = host.trim().toLowerCase(Locale.ROOT);
            boolean valid;
            if (h.startsWith("[") && h.endsWith("]")) {
                valid = IpAddress.parse(h.substring(1, h.length() - 1))
                        .filter(a -> !a.isIpv4())
                        .isPresent();
            } else if (h.indexOf(':') >= 0) {
                requireArgument(
                        IpAddress.parse(h).isEmpty(),
                        "canonical host must write an IPv6 address in brackets, such as [2001:db8::1]: '%s'",
                        escape(host));
                valid = false; // host:port
            } else {
                valid = isValidHost(h) && h.indexOf('[') < 0 && h.indexOf(']') < 0 && !h.endsWith(".");
            }
            requireArgument(
                    valid,
                    "canonical host must be a host name such as www.example.com (no scheme, path or port; set the https"
                            + " port separately): '%s'",
                    escape(host));
            this.canonicalHost = h;
            return this;
        }

        /**
         * Sets the HTTPS port used in redirect locations (default 443, which is left out of the URL).
         *
         * @throws IllegalArgumentException if the port is not within 1..65535
         */
        public Builder httpsPort(int port) {
            requireArgument(port > 0 && port <= 65535, "https port must be within 1..65535: %s", port);
            this.httpsPort = port;
            return this;
        }

        /** Builds the redirect decision. */
        public HttpsRedirect build() {
            requireNonNull(exempt, "exempt");
            return new HttpsRedirect(this);
        }
    }
}
