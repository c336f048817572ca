/**
 * Who is calling: the real client of a request behind reverse proxies, resolved without trusting what clients can
 * forge.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.client.ClientAddressResolver} turns a {@link dev.bulwark.core.RequestView} into a
 *       {@link dev.bulwark.core.client.ResolvedClient}: walks {@code Forwarded} (RFC 7239) or {@code X-Forwarded-For}
 *       right to left, skipping trusted proxies, and takes the effective scheme, host and port from forwarded headers
 *       only when the peer is a trusted proxy. Trusts no proxy by default.
 *   <li>{@link dev.bulwark.core.client.TrustedProxies} is the immutable set of trusted CIDR blocks, IPv4 and IPv6.
 *   <li>{@link dev.bulwark.core.client.IpAddress} is an IP address parsed strictly from its literal, never through DNS;
 *       IPv4-mapped IPv6 addresses are unwrapped to IPv4, and {@link dev.bulwark.core.client.IpAddress#prefix(int)}
 *       groups IPv6 clients by network (one household usually holds a whole {@code /64}).
 *   <li>{@link dev.bulwark.core.client.ResolvedClient} is the result: the client address, the effective scheme, host
 *       and port, and the raw forwarded chain for access logs.
 * </ul>
 *
 * <p>The package-private classes beside them parse forwarded headers by index, without regular expressions or
 * exceptions, reading a bounded number of characters from the right end of each header.
 */
@NullMarked
package dev.bulwark.core.client;

import org.jspecify.annotations.NullMarked;
