package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.client.ResolvedClient;
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

    /** Creates the filter over a resolver. */
    public ClientIdentityFilter(ClientAddressResolver resolver) {
        this.resolver = requireNonNull(resolver, "resolver");
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
        chain.doFilter(client.viaTrustedProxy() ? new ForwardedRequest(request, client) : request, response);
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
