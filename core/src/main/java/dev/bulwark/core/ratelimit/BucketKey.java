package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.IpAddress;
import org.jspecify.annotations.Nullable;

/**
 * Identifies one bucket: a policy and the key it counts by (an address prefix or a name).
 *
 * <p>Instances are immutable and safe for concurrent use. Equality is by policy identity and key value, so the same
 * client counted by two policies has two buckets. A {@link BucketStore} uses keys as map keys (the local store) or
 * renders them with {@link #text()} (a remote store). The address form holds two longs and no string, so a tracked
 * client costs 32 bytes of key.
 */
public abstract sealed class BucketKey permits BucketKey.Address, BucketKey.Name {

    final RateLimitPolicy policy;

    private BucketKey(RateLimitPolicy policy) {
        this.policy = policy;
    }

    /** Returns the key for an address (already reduced to its prefix) under a policy. */
    static BucketKey address(RateLimitPolicy policy, IpAddress prefix) {
        return new Address(policy, prefix.upperBits(), prefix.lowerBits());
    }

    /**
     * Returns the key for a name (a principal, a header value, or any string a programmatic caller chooses) under a
     * policy.
     */
    public static BucketKey name(RateLimitPolicy policy, String name) {
        return new Name(requireNonNull(policy, "policy"), requireNonNull(name, "name"));
    }

    /** Returns the policy this bucket belongs to. */
    public RateLimitPolicy policy() {
        return policy;
    }

    /**
     * Returns a stable text form, {@code <policy>:<key>}: an address as {@code ip:<address>} (IPv4 dotted, IPv6 as 32
     * hex digits), a name as {@code name:<name>}. Allocates; for remote stores.
     */
    public abstract String text();

    @Override
    public String toString() {
        return text();
    }

    static final class Address extends BucketKey {
        private final long upper;
        private final long lower;

        Address(RateLimitPolicy policy, long upper, long lower) {
            super(policy);
            this.upper = upper;
            this.lower = lower;
        }

        @Override
        public String text() {
            if (upper == 0 && (lower >>> 32) == 0xffffL) {
                long v4 = lower & 0xffffffffL;
                return policy.name() + ":ip:" + (v4 >>> 24) + "." + ((v4 >>> 16) & 0xff) + "." + ((v4 >>> 8) & 0xff)
                        + "." + (v4 & 0xff);
            }
            return policy.name() + ":ip:" + String.format("%016x%016x", upper, lower);
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Address other && upper == other.upper && lower == other.lower && policy == other.policy;
        }

        @Override
        public int hashCode() {
            long h = upper * 0x9E3779B97F4A7C15L ^ lower;
            h ^= h >>> 32;
            return (int) h * 31 + System.identityHashCode(policy);
        }
    }

    static final class Name extends BucketKey {
        private final String name;

        Name(RateLimitPolicy policy, String name) {
            super(policy);
            this.name = name;
        }

        @Override
        public String text() {
            return policy.name() + ":name:" + name;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Name other && policy == other.policy && name.equals(other.name);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + System.identityHashCode(policy);
        }
    }
}
