package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.client.ResolvedClient;
import dev.bulwark.core.readiness.ReadinessFinding;
import dev.bulwark.core.readiness.RuntimeFindings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the real client behind trusted proxies and makes the rest of the chain see it.
 *
 * <p>Asks {@link ClientAddressResolver} once per request, stores the {@link ResolvedClient} as the request attribute
 * {@link #ATTRIBUTE}, and, when the peer is a trusted proxy, wraps the request so that {@code getRemoteAddr()}, {@code
 * getScheme()}, {@code isSecure()}, {@code getServerName()}, {@code getServerPort()} and {@code getRequestURL()}
 * report the client's view (as Tomcat's {@code RemoteIpValve} does). Requests from untrusted peers pass through
 * unwrapped. Host names are never resolved.
 *
 * <p>Instances are immutable and safe for concurrent use.
 */
public final class ClientIdentityFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The request attribute holding the {@link ResolvedClient}. */
    public static final String ATTRIBUTE = ResolvedClient.class.getName();

    private final transient ClientAddressResolver resolver;
    private final transient @Nullable RuntimeFindings findings;

    /** Creates the filter over a resolver. */
    public ClientIdentityFilter(ClientAddressResolver resolver) {
        this(resolver, null);
    }

    /**
     * Creates the filter over a resolver, reporting forwarded headers that arrive while no proxy is trusted (readiness
     * finding {@code BW-P002}, logged once) to {@code findings}.
     */
    public ClientIdentityFilter(ClientAddressResolver resolver, @Nullable RuntimeFindings findings) {
        this.resolver = requireNonNull(resolver, "resolver");
        this.findings = findings;
    }

    /** Returns the resolver. */
    public ClientAddressResolver resolver() {
        return resolver;
    }

    /**
     * Returns the client resolved for this request by the filter, or {@code null} when the filter did not run.
     */
    public static @Nullable ResolvedClient resolvedClient(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof ResolvedClient client ? client : null;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getAttribute(ATTRIBUTE) instanceof ResolvedClient resolved) {
            // an error, forward or async dispatch of a request resolved before: the container hands over its own
            // request object again, so wrap it again rather than resolving twice
            boolean wrapped = request instanceof ForwardedRequest;
            chain.doFilter(
                    resolved.viaTrustedProxy() && !wrapped ? new ForwardedRequest(request, resolved) : request,
                    response);
            return;
        }
        ResolvedClient client = resolver.resolve(ServletRequestView.of(request));
        request.setAttribute(ATTRIBUTE, client);
        if (findings != null
                && !findings.seen(UNTRUSTED_FORWARDING)
                && resolver.trustedProxies().isEmpty()) {
            noticeForwardedHeaders(request, findings);
        }
        chain.doFilter(client.viaTrustedProxy() ? new ForwardedRequest(request, client) : request, response);
    }

    private static final String UNTRUSTED_FORWARDING = "BW-P002";

    private static void noticeForwardedHeaders(HttpServletRequest request, RuntimeFindings findings) {
        for (String header : new String[] {"X-Forwarded-For", "Forwarded", "X-Forwarded-Proto"}) {
            if (request.getHeader(header) != null) {
                findings.report(ReadinessFinding.warning(
                        UNTRUSTED_FORWARDING,
                        "requests arrive with " + header + " but no proxy is trusted: client addresses and schemes "
                                + "are taken from the connection (correct if clients forge the header, wrong if a "
                                + "proxy added it)",
                        "if a reverse proxy sits in front, list it in bulwark.client.trusted-proxies"));
                return;
            }
        }
    }

    /** The request as the client sent it, behind trusted proxies. */
    static final class ForwardedRequest extends HttpServletRequestWrapper {
        private final ResolvedClient client;
        private final String remoteAddr;

        ForwardedRequest(HttpServletRequest request, ResolvedClient client) {
            super(request);
            this.client = client;
            this.remoteAddr = client.address().toString();
        }

        @Override
        public String getRemoteAddr() {
            return remoteAddr;
        }

        @Override
        public String getRemoteHost() {
            return remoteAddr; // never a DNS lookup
        }

        @Override
        public String getScheme() {
            return client.scheme();
        }

        @Override
        public boolean isSecure() {
            return client.secure();
        }

        @Override
        public String getServerName() {
            return client.host();
        }

        @Override
        public int getServerPort() {
            return client.port();
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer(64).append(client.scheme()).append("://");
            String host = client.host();
            if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
                url.append('[').append(host).append(']');
            } else {
                url.append(host);
            }
            int port = client.port();
            boolean defaultPort =
                    ("https".equals(client.scheme()) && port == 443) || ("http".equals(client.scheme()) && port == 80);
            if (!defaultPort && port > 0) {
                url.append(':').append(port);
            }
            return url.append(getRequestURI());
        }
    }
}
