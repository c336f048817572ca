package dev.bulwark.core.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The effective client of a request, as resolved by {@link ClientAddressResolver}.
 *
 * <p>Instances are immutable and safe for concurrent use. Forwarded headers contribute to a value only when the peer
 * was a trusted proxy ({@link #viaTrustedProxy()}); otherwise every value is the request's own.
 *
 * @param address the client's address: the right-most address in the forwarded chain that is not a trusted proxy, or
 *     the peer itself when it is not trusted; IPv4-mapped IPv6 addresses are unwrapped to IPv4, and a peer address
 *     that is not an IP literal (a Unix domain socket, for example) is reported as {@code 0.0.0.0}
 * @param scheme the scheme the client used, {@code http} or {@code https}: from {@code X-Forwarded-Proto} or the
 *     {@code proto} of a {@code Forwarded} element when the peer is trusted, otherwise the request's own
 * @param host the host the client addressed, without port (IPv6 literals keep their brackets): from {@code
 *     X-Forwarded-Host} or the {@code host} of a {@code Forwarded} element when the peer is trusted, otherwise the
 *     request's own
 * @param port the port the client addressed: from {@code X-Forwarded-Port} or the forwarded host when the peer is
 *     trusted, the default port of the scheme when a forwarded host or scheme came without one, otherwise the request's
 *     own
 * @param forwardedChain the raw {@code X-Forwarded-For} value as received (several header lines joined with {@code ",
 *     "}), or the raw {@code Forwarded} value when that header was used; cut to its right-most {@code
 *     maxHeaderLength} characters; not escaped; {@code null} when absent. Meant for access logs: never trust its
 *     left-hand entries, which any client can write
 * @param viaTrustedProxy whether the peer that opened the connection was a trusted proxy
 */
public record ResolvedClient(
        IpAddress address,
        String scheme,
        String host,
        int port,
        @Nullable String forwardedChain,
        boolean viaTrustedProxy) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code address}, {@code scheme} or {@code host} is null
     */
    public ResolvedClient {
        requireNonNull(address, "address");
        requireNonNull(scheme, "scheme");
        requireNonNull(host, "host");
    }

    /** Returns whether the client used HTTPS, that is whether {@link #scheme()} is {@code https}. */
    public boolean secure() {
        return "https".equals(scheme);
    }
}
