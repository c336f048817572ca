package dev.bulwark.core.client;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The proxies whose forwarded headers are believed: an immutable set of IPv4 and IPv6 CIDR blocks.
 *
 * <p>Instances are immutable and safe for concurrent use; {@link #contains(IpAddress)} allocates nothing. The default,
 * {@link #none()}, trusts no proxy, so forwarded headers are ignored until proxies are configured.
 *
 * <p>Entries are IP addresses ({@code 10.1.2.3}, {@code ::1}) or CIDR blocks ({@code 10.0.0.0/8}, {@code
 * 2001:db8::/32}). Host names are rejected, never resolved. An IPv4-mapped block such as {@code ::ffff:10.0.0.0/104}
 * is stored as the IPv4 block it covers ({@code 10.0.0.0/8}), matching {@link IpAddress}, which unwraps mapped
 * addresses. A block with bits set after its prefix ({@code 10.0.0.1/8}) is rejected rather than silently widened,
 * because it usually means a typo.
 *
 * <pre>{@code
 * TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8::/32", "127.0.0.1"));
 * }</pre>
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE =
            new TrustedProxies(List.of(), new long[0], new long[0], new long[0], new long[0], new long[0], new long[0]);

    private static final String SYNTAX = "trusted proxy must be an IP address or CIDR block such as 10.0.0.0/8 or "
            + "2001:db8::/32: '%s' (host names are never resolved)";

    private final List<String> entries;
    private final long[] ipv4Networks;
    private final long[] ipv4Masks;
    private final long[] ipv6NetworksHigh;
    private final long[] ipv6NetworksLow;
    private final long[] ipv6MasksHigh;
    private final long[] ipv6MasksLow;
    private final boolean trustsEverything;

    private TrustedProxies(
            List<String> entries,
            long[] ipv4Networks,
            long[] ipv4Masks,
            long[] ipv6NetworksHigh,
            long[] ipv6NetworksLow,
            long[] ipv6MasksHigh,
            long[] ipv6MasksLow) {
        this.entries = entries;
        this.ipv4Networks = ipv4Networks;
        this.ipv4Masks = ipv4Masks;
        this.ipv6NetworksHigh = ipv6NetworksHigh;
        this.ipv6NetworksLow = ipv6NetworksLow;
        this.ipv6MasksHigh = ipv6MasksHigh;
        this.ipv6MasksLow = ipv6MasksLow;
        boolean everything = false;
        for (long mask : ipv4Masks) {
            everything |= mask == 0;
        }
        for (int i = 0; i < ipv6MasksHigh.length; i++) {
            everything |= ipv6MasksHigh[i] == 0 && ipv6MasksLow[i] == 0;
        }
        this.trustsEverything = everything;
    }

    /** Returns the default: no proxy is trusted, so forwarded headers are always ignored. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses trusted proxy entries.
     *
     * @param entries IP addresses or CIDR blocks; surrounding whitespace is ignored and duplicates are dropped
     * @return the trusted proxies; {@link #none()} when {@code entries} is empty
     * @throws IllegalArgumentException if an entry is blank, is not an IP address or CIDR block (host names are never
     *     resolved), has a prefix length out of range, or has bits set after its prefix
     */
    public static TrustedProxies of(Collection<String> entries) {
        requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return NONE;
        }
        Set<String> normalized = new LinkedHashSet<>();
        List<long[]> ipv4 = new ArrayList<>();
        List<long[]> ipv6 = new ArrayList<>();
        for (String entry : entries) {
            requireNonNull(entry, "entries element");
            Block block = parseBlock(entry);
            if (normalized.add(block.text())) {
                if (block.address().isIpv4()) {
                    ipv4.add(new long[] {block.address().low(), IpAddress.ipv4Mask(block.prefix())});
                } else {
                    ipv6.add(new long[] {
                        block.address().high(),
                        block.address().low(),
                        IpAddress.highMask(block.prefix()),
                        IpAddress.lowMask(block.prefix())
                    });
                }
            }
        }
        long[] ipv4Networks = new long[ipv4.size()];
        long[] ipv4Masks = new long[ipv4.size()];
        for (int i = 0; i < ipv4.size(); i++) {
            ipv4Networks[i] = ipv4.get(i)[0];
            ipv4Masks[i] = ipv4.get(i)[1];
        }
        long[] networksHigh = new long[ipv6.size()];
        long[] networksLow = new long[ipv6.size()];
        long[] masksHigh = new long[ipv6.size()];
        long[] masksLow = new long[ipv6.size()];
        for (int i = 0; i < ipv6.size(); i++) {
            long[] b = ipv6.get(i);
            networksHigh[i] = b[0];
            networksLow[i] = b[1];
            masksHigh[i] = b[2];
            masksLow[i] = b[3];
        }
        return new TrustedProxies(
                List.copyOf(normalized), ipv4Networks, ipv4Masks, networksHigh, networksLow, masksHigh, masksLow);
    }

    /** A parsed entry: the network address, its prefix length and its normalized text. */
    private record Block(IpAddress address, int prefix, String text) {}

    private static Block parseBlock(String entry) {
        String trimmed = entry.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(
                    "trusted proxy must not be blank: '" + Checks.escape(entry) + "' (remove the empty entry)");
        }
        int slash = trimmed.indexOf('/');
        int addressEnd = slash < 0 ? trimmed.length() : slash;
        IpAddress address = IpAddress.parse(trimmed, 0, addressEnd);
        if (address == null) {
            throw new IllegalArgumentException(String.format(SYNTAX, Checks.escape(trimmed)));
        }
        boolean mapped = address.isIpv4() && IpAddress.indexOf(trimmed, ':', 0, addressEnd) >= 0;
        int max = mapped ? 128 : address.bitLength();
        int prefix = slash < 0 ? max : parsePrefix(trimmed, slash + 1);
        if (prefix < 0) {
            throw new IllegalArgumentException(String.format(SYNTAX, Checks.escape(trimmed)));
        }
        if (prefix > max) {
            throw new IllegalArgumentException("trusted proxy prefix length must be between 0 and " + max + " for an "
                    + (mapped || !address.isIpv4() ? "IPv6" : "IPv4") + " block: '" + Checks.escape(trimmed) + "'");
        }
        IpAddress network;
        if (mapped && prefix < 96) {
            // wider than the mapped range: the 0xffff marker is then host bits, so this always fails below
            IpAddress asIpv6 = new IpAddress(false, 0L, 0xffff_0000_0000L | address.low());
            throw hostBits(trimmed, asIpv6.prefix(prefix), prefix);
        } else if (mapped) {
            prefix -= 96;
            network = address.prefix(prefix);
        } else {
            network = address.prefix(prefix);
        }
        if (!network.equals(address)) {
            throw hostBits(trimmed, network, prefix);
        }
        return new Block(network, prefix, network + "/" + prefix);
    }

    private static IllegalArgumentException hostBits(String entry, IpAddress network, int prefix) {
        return new IllegalArgumentException("trusted proxy CIDR block must not have bits set after its prefix length: '"
                + Checks.escape(entry) + "' (did you mean " + network + "/" + prefix + "?)");
    }

    /** Returns the decimal prefix length starting at {@code from}, 999 when absurdly long, or -1 when not a number. */
    private static int parsePrefix(String s, int from) {
        if (from >= s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = Math.min(999, value * 10 + (c - '0'));
        }
        return value;
    }

    /**
     * Returns whether the address lies in one of the trusted blocks. Allocates nothing.
     *
     * @param address the address to test; an IPv4 address matches only IPv4 blocks (and mapped blocks, which are
     *     stored as IPv4), an IPv6 address only IPv6 blocks
     */
    public boolean contains(IpAddress address) {
        requireNonNull(address, "address");
        if (address.isIpv4()) {
            long value = address.low();
            for (int i = 0; i < ipv4Masks.length; i++) {
                if ((value & ipv4Masks[i]) == ipv4Networks[i]) {
                    return true;
                }
            }
            return false;
        }
        long high = address.high();
        long low = address.low();
        for (int i = 0; i < ipv6MasksHigh.length; i++) {
            if ((high & ipv6MasksHigh[i]) == ipv6NetworksHigh[i] && (low & ipv6MasksLow[i]) == ipv6NetworksLow[i]) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether no proxy is trusted. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Returns whether a {@code /0} block is present ({@code 0.0.0.0/0} or {@code ::/0}), which lets every peer of that
     * family choose its own client address, scheme and host. Worth a warning outside a sealed network.
     */
    public boolean trustsEverything() {
        return trustsEverything;
    }

    /**
     * Returns the blocks as normalized CIDR strings in configuration order, without duplicates: single addresses get
     * their full prefix ({@code 10.1.2.3/32}, {@code ::1/128}) and mapped blocks their IPv4 form.
     */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return "TrustedProxies" + entries;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof TrustedProxies other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}
