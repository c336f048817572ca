package dev.bulwark.core.client;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address, parsed from a literal without ever consulting DNS.
 *
 * <p>Instances are immutable and safe for concurrent use. Parsing is strict and bounded: IPv4 must be a dotted quad of
 * decimal numbers from 0 to 255 without leading zeros ({@code 010.0.0.1} is rejected, as octal readings of it differ);
 * IPv6 follows RFC 4291 section 2.2 (full form, one {@code ::}, an embedded IPv4 tail such as {@code ::ffff:1.2.3.4}),
 * without zone ids ({@code %eth0}) or brackets. Literals longer than 45 characters are rejected without being read.
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, RFC 4291 section 2.5.5.2) is unwrapped to the IPv4 address
 * it carries, so a dual-stack server sees one client as one address, whatever socket family accepted it. Equality is
 * by address bytes; {@link #toString()} is canonical: dotted quad for IPv4, RFC 5952 for IPv6.
 */
public final class IpAddress {

    /** The longest legal literal: {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    static final int MAX_LITERAL_LENGTH = 45;

    /** {@code 0.0.0.0}, the address reported for a peer whose address cannot be parsed. */
    static final IpAddress IPV4_UNSPECIFIED = new IpAddress(true, 0L, 0L);

    private static final long MAPPED_MARKER = 0xffffL;

    private final boolean ipv4;
    /** IPv6 bits 0..63; always 0 for IPv4. */
    private final long high;
    /** IPv6 bits 64..127; for IPv4 the address as an unsigned 32-bit value. */
    private final long low;
    /** Canonical text, computed on first use (a benign race: strings are immutable). */
    private @Nullable String text;

    IpAddress(boolean ipv4, long high, long low) {
        this.ipv4 = ipv4;
        this.high = high;
        this.low = low;
    }

    /**
     * Parses an IP address literal. Never resolves a host name and never throws for any string.
     *
     * @param literal an IPv4 or IPv6 literal, without brackets, port or zone id
     * @return the address, or empty when the literal is not a valid IP address
     */
    public static Optional<IpAddress> parse(String literal) {
        requireNonNull(literal, "literal");
        return Optional.ofNullable(parse(literal, 0, literal.length()));
    }

    /**
     * Parses an IP address literal, for configuration and tests.
     *
     * @param literal an IPv4 or IPv6 literal, without brackets, port or zone id
     * @return the address
     * @throws IllegalArgumentException if the literal is not a valid IP address (host names are never resolved)
     */
    public static IpAddress of(String literal) {
        requireNonNull(literal, "literal");
        IpAddress address = parse(literal, 0, literal.length());
        if (address == null) {
            throw new IllegalArgumentException("not an IP address literal: '" + Checks.escape(literal) + "'");
        }
        return address;
    }

    /**
     * Parses the literal in {@code s[from, to)}, allocating nothing but the result.
     *
     * @return the address, or {@code null} when the range is not a valid literal
     */
    static @Nullable IpAddress parse(String s, int from, int to) {
        int length = to - from;
        if (length < 2 || length > MAX_LITERAL_LENGTH) {
            return null;
        }
        // one pass for the common dotted quad; an IPv6 literal fails it within its first five characters
        long value = parseIpv4(s, from, to);
        if (value >= 0) {
            return new IpAddress(true, 0L, value);
        }
        return indexOf(s, ':', from, to) < 0 ? null : parseIpv6(s, from, to);
    }

    /** Returns the dotted quad in {@code s[from, to)} as an unsigned 32-bit value, or -1 when it is not one. */
    private static long parseIpv4(String s, int from, int to) {
        long value = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return i == to ? value : -1;
    }

    private static @Nullable IpAddress parseIpv6(String s, int from, int to) {
        long high = 0; // groups before '::' (or all groups) go straight to their final position
        long low = 0;
        long tailHigh = 0; // groups after '::' accumulate right-aligned
        long tailLow = 0;
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return null;
            }
            compressed = true;
            i += 2;
            if (i == to) {
                return new IpAddress(false, 0L, 0L);
            }
        }
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start <= 4) {
                int digit = hexDigit(s.charAt(i));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) | digit;
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // an embedded IPv4 tail is the last part and fills two groups
                if (groups > 6) {
                    return null;
                }
                long v4 = parseIpv4(s, start, to);
                if (v4 < 0) {
                    return null;
                }
                for (int g = 0; g < 2; g++) {
                    int group = (int) (g == 0 ? v4 >>> 16 : v4 & 0xffff);
                    if (compressed) {
                        tailHigh = (tailHigh << 16) | (tailLow >>> 48);
                        tailLow = (tailLow << 16) | group;
                    } else if (groups < 4) {
                        high |= (long) group << (16 * (3 - groups));
                    } else {
                        low |= (long) group << (16 * (7 - groups));
                    }
                    groups++;
                }
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || groups == 8) {
                return null;
            }
            if (compressed) {
                tailHigh = (tailHigh << 16) | (tailLow >>> 48);
                tailLow = (tailLow << 16) | value;
            } else if (groups < 4) {
                high |= (long) value << (16 * (3 - groups));
            } else {
                low |= (long) value << (16 * (7 - groups));
            }
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i == to) {
                return null; // a single trailing ':'
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return null; // a second '::'
                }
                compressed = true;
                i++;
                if (i == to) {
                    break;
                }
            }
        }
        if (compressed ? groups > 7 : groups != 8) {
            return null;
        }
        high |= tailHigh;
        low |= tailLow;
        if (high == 0 && (low >>> 32) == MAPPED_MARKER) {
            return new IpAddress(true, 0L, low & 0xffffffffL);
        }
        return new IpAddress(false, high, low);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Returns whether this is an IPv4 address (including one unwrapped from an IPv4-mapped IPv6 literal). */
    public boolean isIpv4() {
        return ipv4;
    }

    /** Returns the number of bits in the address: 32 for IPv4, 128 for IPv6. */
    public int bitLength() {
        return ipv4 ? 32 : 128;
    }

    /** Returns a new array holding the address in network byte order: 4 bytes for IPv4, 16 for IPv6. */
    public byte[] bytes() {
        if (ipv4) {
            return new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** Returns this address as an {@link InetAddress}, built from its bytes, so without any name lookup. */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(bytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always accepted", e);
        }
    }

    /** Returns whether this is a loopback address: {@code 127.0.0.0/8} or {@code ::1}. */
    public boolean isLoopback() {
        return ipv4 ? (low >>> 24) == 127 : high == 0 && low == 1;
    }

    /**
     * Returns this address with every bit after the first {@code bits} cleared, for example the {@code /64} network of
     * an IPv6 client, which one household or host usually owns as a whole.
     *
     * @param bits the prefix length, from 0 to {@link #bitLength()}
     * @return the network address; {@code this} when {@code bits} is {@link #bitLength()}
     * @throws IllegalArgumentException if {@code bits} is negative or larger than {@link #bitLength()}
     */
    public IpAddress prefix(int bits) {
        int max = bitLength();
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length must be between 0 and " + max + " for an "
                    + (ipv4 ? "IPv4" : "IPv6") + " address: " + bits);
        }
        if (bits == max) {
            return this;
        }
        if (ipv4) {
            return new IpAddress(true, 0L, low & ipv4Mask(bits));
        }
        return new IpAddress(false, high & highMask(bits), low & lowMask(bits));
    }

    /** Returns the mask of an IPv4 prefix of 0..32 bits, as the low 32 bits of a long. */
    static long ipv4Mask(int bits) {
        return (-1L << (32 - bits)) & 0xffffffffL;
    }

    /** Returns the upper 64 bits of the mask of an IPv6 prefix of 0..128 bits. */
    static long highMask(int bits) {
        return bits >= 64 ? -1L : bits == 0 ? 0L : -1L << (64 - bits);
    }

    /** Returns the lower 64 bits of the mask of an IPv6 prefix of 0..128 bits. */
    static long lowMask(int bits) {
        return bits <= 64 ? 0L : bits == 128 ? -1L : -1L << (128 - bits);
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    /**
     * Returns bits 0 to 63 of the address as an IPv6 address; for IPv4 always 0. Together with {@link #lowerBits()} it
     * identifies the address without allocating, for use as a map key.
     */
    public long upperBits() {
        return high;
    }

    /**
     * Returns bits 64 to 127 of the address as an IPv6 address; for IPv4 the IPv4-mapped form {@code ::ffff:a.b.c.d},
     * that is {@code 0xffff_0000_0000L | address}. As this class unwraps IPv4-mapped literals to IPv4, the pair
     * ({@link #upperBits()}, {@code lowerBits()}) never collides between an IPv4 and an IPv6 address.
     */
    public long lowerBits() {
        return ipv4 ? (MAPPED_MARKER << 32) | low : low;
    }

    /**
     * Returns the canonical text: a dotted quad for IPv4; for IPv6 the RFC 5952 form (lower case, no leading zeros,
     * the longest run of two or more zero groups, the leftmost on a tie, compressed to {@code ::}).
     */
    @Override
    public String toString() {
        String result = text;
        if (result == null) {
            result = ipv4 ? formatIpv4() : formatIpv6();
            text = result;
        }
        return result;
    }

    private String formatIpv4() {
        return new StringBuilder(15)
                .append(low >>> 24)
                .append('.')
                .append((low >>> 16) & 0xff)
                .append('.')
                .append((low >>> 8) & 0xff)
                .append('.')
                .append(low & 0xff)
                .toString();
    }

    private int group(int index) {
        return (int) ((index < 4 ? high >>> (16 * (3 - index)) : low >>> (16 * (7 - index))) & 0xffff);
    }

    private String formatIpv6() {
        int bestStart = -1;
        int bestLength = 0;
        int runStart = -1;
        int runLength = 0;
        for (int i = 0; i < 8; i++) {
            if (group(i) == 0) {
                if (runLength == 0) {
                    runStart = i;
                }
                runLength++;
                if (runLength > bestLength) {
                    bestStart = runStart;
                    bestLength = runLength;
                }
            } else {
                runLength = 0;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
            bestLength = 0;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(i)));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof IpAddress other && ipv4 == other.ipv4 && high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(high) * 31 + Long.hashCode(low);
        return ipv4 ? h : ~h;
    }
}
