package dev.bulwark.core.client;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.RequestView;
import dev.bulwark.core.client.ForwardedValues.HostAndPort;
import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the real client of a request behind reverse proxies, believing forwarded headers only from trusted
 * proxies.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe. {@link #defaults()} trusts no
 * proxy, so every forwarded header is ignored and the client is the peer that opened the connection. Host names are
 * never resolved: every address is parsed from its literal.
 *
 * <p>When the peer is a {@linkplain TrustedProxies trusted proxy}, the RFC 7239 {@code Forwarded} header (when enabled
 * and present) or else {@code X-Forwarded-For} is walked <b>right to left</b>, as Tomcat's {@code RemoteIpValve} does:
 * each entry that is itself a trusted proxy is skipped, and the first entry that is not is the client. Entries to the
 * left of it are ignored, since the client can write anything there. A malformed entry ({@code unknown}, an
 * obfuscated identifier, garbage) ends the walk at the last trustworthy address, that is the hop that wrote the
 * entry; when every entry is trusted the left-most one is the client. The walk examines at most {@link
 * Builder#maxHops(int) maxHops} entries and reads at most {@link Builder#maxHeaderLength(int) maxHeaderLength}
 * characters from the right end of the header, so its cost is bounded whatever the client sends.
 *
 * <p>From a trusted peer, the effective scheme, host and port come from the {@code proto} and {@code host} of the
 * {@code Forwarded} element that names the client, or from {@code X-Forwarded-Proto} ({@code http} or {@code https}),
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Port}. When the walk stopped at an entry that could not name its
 * client ({@code for=unknown;proto=https}, from a proxy that hides addresses), that entry still supplies them, since a
 * trusted proxy wrote it. A list in an {@code X-Forwarded-*} header is read at the same position, counted from the
 * right, as that entry in {@code X-Forwarded-For}, provided both lists have as many values; otherwise a list of
 * schemes means {@code https} only when every value is {@code https} (as {@code RemoteIpValve} decides), and a list of
 * hosts or ports is ignored, since its left-hand values may come from the client. Invalid values (including any with
 * CR, LF or other control characters) are ignored in favour of the request's own. The port is the forwarded port, else
 * the port of a forwarded host, else the default port of the effective scheme when a host or a different scheme was
 * forwarded, else the request's own. From an untrusted peer no forwarded header has any effect (Django
 * CVE-2019-12781).
 *
 * <p><b>Note:</b> a trusted proxy must overwrite, or append to, the headers this class reads. The RFC 7239 {@code
 * Forwarded} header is therefore read only when {@link Builder#useForwardedHeader(boolean)} is on (off by default):
 * most proxies (nginx, HAProxy, cloud load balancers) set only {@code X-Forwarded-For} and pass a client's {@code
 * Forwarded} header through untouched, which would let that client choose its own address.
 *
 * <pre>{@code
 * ClientAddressResolver resolver = ClientAddressResolver.builder()
 *     .trustedProxies(List.of("10.0.0.0/8", "2001:db8::/32"))
 *     .build();
 * ResolvedClient client = resolver.resolve(request);
 * }</pre>
 */
public final class ClientAddressResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ClientAddressResolver.class);

    static final String FORWARDED = "Forwarded";
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String X_FORWARDED_PORT = "X-Forwarded-Port";

    /** Default for {@link Builder#maxHops(int)}. */
    public static final int DEFAULT_MAX_HOPS = 20;

    /** Default for {@link Builder#maxHeaderLength(int)}, in characters. */
    public static final int DEFAULT_MAX_HEADER_LENGTH = 4096;

    private static final int MAX_MAX_HOPS = 1000;
    private static final int MIN_MAX_HEADER_LENGTH = 64;

    private static final ClientAddressResolver DEFAULTS = new Builder().build();

    private final TrustedProxies trustedProxies;
    private final int maxHops;
    private final int maxHeaderLength;
    private final boolean useForwardedHeader;

    private ClientAddressResolver(Builder builder) {
        this.trustedProxies = builder.trustedProxies;
        this.maxHops = builder.maxHops;
        this.maxHeaderLength = builder.maxHeaderLength;
        this.useForwardedHeader = builder.useForwardedHeader;
    }

    /** Returns a resolver that trusts no proxy: the client is always the peer, and forwarded headers are ignored. */
    public static ClientAddressResolver defaults() {
        return DEFAULTS;
    }

    /** Returns a new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a new builder holding this resolver's settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.trustedProxies = trustedProxies;
        builder.maxHops = maxHops;
        builder.maxHeaderLength = maxHeaderLength;
        builder.useForwardedHeader = useForwardedHeader;
        return builder;
    }

    /** Returns the trusted proxies. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Returns the maximum number of forwarded entries examined. */
    public int maxHops() {
        return maxHops;
    }

    /** Returns the maximum number of characters read from the right end of a forwarded header. */
    public int maxHeaderLength() {
        return maxHeaderLength;
    }

    /** Returns whether the RFC 7239 {@code Forwarded} header is read, before {@code X-Forwarded-For}. */
    public boolean useForwardedHeader() {
        return useForwardedHeader;
    }

    /**
     * Resolves the effective client of a request. Runs on the request thread; does no I/O, uses no regular expressions
     * and does not throw whatever the headers hold.
     *
     * <p>A peer address that is not an IP literal (a Unix domain socket path, for example) is never trusted, and the
     * client is then reported as {@code 0.0.0.0}. Brackets and an IPv6 zone id ({@code fe80::1%eth0}, as {@link
     * java.net.Inet6Address#getHostAddress()} renders it) are removed from the peer address before it is parsed. Should
     * the request view break its contract by throwing or returning {@code null}, the failure is logged and the client
     * is {@code 0.0.0.0}, untrusted, over {@code http} to an empty host and port 0.
     *
     * @param request the request as the server received it
     * @return the effective client
     */
    public ResolvedClient resolve(RequestView request) {
        requireNonNull(request, "request");
        try {
            return resolveUnguarded(request);
        } catch (RuntimeException e) {
            LOG.warn("cannot resolve the client of a request; the request view broke its contract", e);
            return new ResolvedClient(IpAddress.IPV4_UNSPECIFIED, ForwardedValues.HTTP, "", 0, null, false);
        }
    }

    /** Resolves without the guard of {@link #resolve}; visible for tests, which must see any exception. */
    ResolvedClient resolveUnguarded(RequestView request) {
        IpAddress peer = parsePeer(request.peerAddress());
        if (peer == null || !trustedProxies.contains(peer)) {
            ForwardedChain xff = ForwardedChain.of(request.headers(X_FORWARDED_FOR), maxHeaderLength);
            return new ResolvedClient(
                    peer == null ? IpAddress.IPV4_UNSPECIFIED : peer,
                    request.scheme(),
                    request.host(),
                    request.port(),
                    xff == null ? null : xff.text(),
                    false);
        }
        if (useForwardedHeader) {
            ForwardedChain forwarded = ForwardedChain.of(request.headers(FORWARDED), maxHeaderLength);
            if (forwarded != null && !ForwardedValues.isBlank(forwarded.text())) {
                ForwardedChain.Walk walk = forwarded.walkForwarded(peer, trustedProxies, maxHops);
                ForwardedElement element = walk.element();
                String scheme = element == null ? null : element.scheme(forwarded.text());
                HostAndPort host = element == null ? null : element.host(forwarded.text());
                return effective(request, walk.client(), scheme, host, -1, forwarded.text());
            }
        }
        ForwardedChain xff = ForwardedChain.of(request.headers(X_FORWARDED_FOR), maxHeaderLength);
        ForwardedChain.Walk walk = xff == null
                ? new ForwardedChain.Walk(peer, 0, null)
                : xff.walkXForwardedFor(peer, trustedProxies, maxHops);
        int position = walk.position();
        String scheme = forwardedScheme(request, position, xff);
        HostAndPort host = null;
        String hostList = ForwardedValues.joinAll(request.headers(X_FORWARDED_HOST), maxHeaderLength);
        if (hostList != null) {
            long bounds = listValue(hostList, position, xff);
            if (bounds >= 0) {
                host = ForwardedValues.parseHost(hostList, ForwardedValues.start(bounds), ForwardedValues.end(bounds));
            }
        }
        int port = -1;
        String portList = ForwardedValues.joinAll(request.headers(X_FORWARDED_PORT), maxHeaderLength);
        if (portList != null) {
            long bounds = listValue(portList, position, xff);
            if (bounds >= 0) {
                port = ForwardedValues.parsePort(portList, ForwardedValues.start(bounds), ForwardedValues.end(bounds));
            }
        }
        return effective(request, walk.client(), scheme, host, port, xff == null ? null : xff.text());
    }

    /**
     * Returns the peer address: the literal, without brackets or an IPv6 zone id. The peer comes from the socket, not
     * from a header, so this leniency cannot be abused.
     */
    static @Nullable IpAddress parsePeer(String literal) {
        int from = 0;
        int to = literal.length();
        if (to >= 2 && literal.charAt(0) == '[' && literal.charAt(to - 1) == ']') {
            from = 1;
            to--;
        }
        int zone = IpAddress.indexOf(literal, '%', from, to);
        if (zone >= 0) {
            to = zone;
        }
        return IpAddress.parse(literal, from, to);
    }

    /** Returns the scheme from {@code X-Forwarded-Proto}, or {@code null} when absent or invalid. */
    private @Nullable String forwardedScheme(RequestView request, int position, @Nullable ForwardedChain xff) {
        String list = ForwardedValues.joinAll(request.headers(X_FORWARDED_PROTO), maxHeaderLength);
        if (list == null) {
            return null;
        }
        long bounds = listValue(list, position, xff);
        if (bounds >= 0) {
            return ForwardedValues.parseScheme(list, ForwardedValues.start(bounds), ForwardedValues.end(bounds));
        }
        // a list that does not line up with X-Forwarded-For: https only when every hop says so (as RemoteIpValve)
        return ForwardedValues.commonScheme(list);
    }

    /**
     * Picks the value of an {@code X-Forwarded-*} list: its only value, or the value at the client's position from the
     * right when the list has as many values as {@code X-Forwarded-For}.
     *
     * @return the packed bounds of the value, or -1 when no value can be attributed to the client
     */
    private static long listValue(String list, int position, @Nullable ForwardedChain xff) {
        int count = ForwardedValues.countElements(list);
        if (count == 1) {
            return ForwardedValues.elementFromRight(list, 1);
        }
        if (count > 1
                && position > 0
                && xff != null
                && !xff.truncated()
                && count == ForwardedValues.countElements(xff.text())) {
            return ForwardedValues.elementFromRight(list, position);
        }
        return -1;
    }

    private static ResolvedClient effective(
            RequestView request,
            IpAddress client,
            @Nullable String forwardedScheme,
            @Nullable HostAndPort forwardedHost,
            int forwardedPort,
            @Nullable String chain) {
        String requestScheme = request.scheme();
        String scheme = forwardedScheme == null ? requestScheme : forwardedScheme;
        String host = forwardedHost == null ? request.host() : forwardedHost.host();
        int port;
        if (forwardedPort > 0) {
            port = forwardedPort;
        } else if (forwardedHost != null) {
            port = forwardedHost.port() > 0 ? forwardedHost.port() : defaultPort(scheme, request.port());
        } else if (!scheme.equals(requestScheme)) {
            port = defaultPort(scheme, request.port());
        } else {
            port = request.port();
        }
        return new ResolvedClient(client, scheme, host, port, chain, true);
    }

    private static int defaultPort(String scheme, int otherwise) {
        if (ForwardedValues.HTTPS.equals(scheme)) {
            return 443;
        }
        return ForwardedValues.HTTP.equals(scheme) ? 80 : otherwise;
    }

    @Override
    public String toString() {
        return "ClientAddressResolver{trustedProxies=" + trustedProxies.entries() + ", maxHops=" + maxHops
                + ", maxHeaderLength=" + maxHeaderLength + ", useForwardedHeader=" + useForwardedHeader + "}";
    }

    /**
     * Builds a {@link ClientAddressResolver}. Each setter validates its argument at once; {@link #build()} leaves the
     * builder reusable. Builders are not thread-safe.
     */
    public static final class Builder {

        private TrustedProxies trustedProxies = TrustedProxies.none();
        private int maxHops = DEFAULT_MAX_HOPS;
        private int maxHeaderLength = DEFAULT_MAX_HEADER_LENGTH;
        private boolean useForwardedHeader = false;

        private Builder() {}

        /**
         * Sets the proxies whose forwarded headers are believed. Default: {@link TrustedProxies#none()}.
         *
         * @return this builder
         */
        public Builder trustedProxies(TrustedProxies trustedProxies) {
            this.trustedProxies = requireNonNull(trustedProxies, "trustedProxies");
            return this;
        }

        /**
         * Sets the proxies whose forwarded headers are believed, as IP addresses or CIDR blocks. Default: none.
         *
         * @return this builder
         * @throws IllegalArgumentException if an entry is invalid, as described by {@link TrustedProxies#of}
         */
        public Builder trustedProxies(Collection<String> entries) {
            this.trustedProxies = TrustedProxies.of(requireNonNull(entries, "entries"));
            return this;
        }

        /**
         * Sets the maximum number of forwarded entries examined, right to left. When the limit is reached the client
         * is the last trustworthy address. Default: {@value ClientAddressResolver#DEFAULT_MAX_HOPS}.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code maxHops} is not between 1 and 1000
         */
        public Builder maxHops(int maxHops) {
            requireArgument(
                    maxHops >= 1 && maxHops <= MAX_MAX_HOPS,
                    "max hops must be between 1 and %s: %s",
                    MAX_MAX_HOPS,
                    maxHops);
            this.maxHops = maxHops;
            return this;
        }

        /**
         * Sets the maximum number of characters of a forwarded header read, from its right end; the rest (which only
         * a client could have written, behind a sane number of proxies) is ignored. Also caps {@link
         * ResolvedClient#forwardedChain()}. Default: {@value ClientAddressResolver#DEFAULT_MAX_HEADER_LENGTH}.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code maxHeaderLength} is less than 64
         */
        public Builder maxHeaderLength(int maxHeaderLength) {
            requireArgument(
                    maxHeaderLength >= MIN_MAX_HEADER_LENGTH,
                    "max header length must be at least %s: %s",
                    MIN_MAX_HEADER_LENGTH,
                    maxHeaderLength);
            this.maxHeaderLength = maxHeaderLength;
            return this;
        }

        /**
         * Sets whether the RFC 7239 {@code Forwarded} header is read; when it is present it then takes precedence over
         * {@code X-Forwarded-For} and the other {@code X-Forwarded-*} headers. Default: {@code false}. Turn it on only
         * when every trusted proxy writes {@code Forwarded} itself (a proxy that passes a client's {@code Forwarded}
         * through lets that client choose its own address).
         *
         * @return this builder
         */
        public Builder useForwardedHeader(boolean useForwardedHeader) {
            this.useForwardedHeader = useForwardedHeader;
            return this;
        }

        /**
         * Builds the resolver. Logs a warning when a {@code /0} block makes every peer a trusted proxy.
         *
         * @return a new resolver
         */
        public ClientAddressResolver build() {
            if (trustedProxies.trustsEverything()) {
                LOG.warn(
                        "trusted proxies {} include a /0 block: every peer may choose its own client address, scheme"
                                + " and host; list only your proxies' addresses",
                        trustedProxies.entries());
            }
            return new ClientAddressResolver(this);
        }
    }
}
