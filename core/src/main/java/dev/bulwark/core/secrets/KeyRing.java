package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The current {@link SecretKey} plus fallback keys, as Django's {@code SECRET_KEY} and {@code SECRET_KEY_FALLBACKS}
 * (Spring property {@code bulwark.secret-key-fallbacks}).
 *
 * <p>Instances are immutable and safe for concurrent use. A {@link Signer} signs with {@link #current()} only and
 * accepts values signed with any key of {@link #keys()}, so rotating works like this:
 *
 * <ol>
 *   <li>configure a new current key and move the old one to the fallbacks ({@link #rotateTo(SecretKey)} does both);
 *   <li>values signed with the old key keep verifying, new values are signed with the new key;
 *   <li>once the longest lifetime of anything signed with the old key has passed, remove it from the fallbacks: from
 *       then on its signatures are rejected.
 * </ol>
 *
 * <p>Fallbacks keep their configured order; duplicates, and fallbacks equal to the current key, are dropped. Each
 * fallback's strength is evaluated separately ({@link #fallbackStrengths()}, after Django's {@code security.W025}).
 * There are no fallbacks by default.
 */
public final class KeyRing {

    private final SecretKey current;
    private final List<SecretKey> fallbacks;
    private final List<SecretKey> keys;

    private KeyRing(SecretKey current, List<SecretKey> fallbacks) {
        Set<SecretKey> distinct = new LinkedHashSet<>();
        distinct.add(current);
        distinct.addAll(fallbacks);
        this.current = current;
        this.keys = List.copyOf(distinct);
        this.fallbacks = keys.subList(1, keys.size());
    }

    /** Returns a ring holding only the given key. */
    public static KeyRing of(SecretKey current) {
        return new KeyRing(requireNonNull(current, "current"), List.of());
    }

    /**
     * Returns a ring with the given current key and fallbacks, tried in order after the current key.
     *
     * @param fallbacks keys that verify but never sign; duplicates and copies of {@code current} are dropped
     */
    public static KeyRing of(SecretKey current, List<SecretKey> fallbacks) {
        requireNonNull(current, "current");
        requireNonNull(fallbacks, "fallbacks");
        for (SecretKey fallback : fallbacks) {
            requireNonNull(fallback, "fallback");
        }
        return new KeyRing(current, fallbacks);
    }

    /** Returns the key that signs. */
    public SecretKey current() {
        return current;
    }

    /** Returns the keys that only verify, in the order they are tried; unmodifiable, possibly empty. */
    public List<SecretKey> fallbacks() {
        return fallbacks;
    }

    /** Returns the current key followed by the fallbacks; unmodifiable. */
    public List<SecretKey> keys() {
        return keys;
    }

    /**
     * Returns a ring whose current key is {@code next} and whose first fallback is this ring's current key, followed
     * by this ring's fallbacks: the first step of a rotation.
     */
    public KeyRing rotateTo(SecretKey next) {
        requireNonNull(next, "next");
        List<SecretKey> newFallbacks = new ArrayList<>(keys);
        return new KeyRing(next, newFallbacks);
    }

    /** Returns a ring with the same current key and the given fallbacks, e.g. without a retired key. */
    public KeyRing withFallbacks(List<SecretKey> fallbacks) {
        return of(current, fallbacks);
    }

    /** Returns the strength of the current key (Django's {@code security.W009}). */
    public KeyStrength currentStrength() {
        return current.strength();
    }

    /** Returns the strength of each fallback, index-aligned with {@link #fallbacks()} (Django's {@code W025}). */
    public List<KeyStrength> fallbackStrengths() {
        return fallbacks.stream().map(SecretKey::strength).toList();
    }

    /** Returns whether both rings hold the same keys in the same roles and order. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof KeyRing that && keys.equals(that.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    /** Returns the fingerprints of the keys, e.g. {@code KeyRing[current=3f9a0c1d27be, fallbacks=[81c2…]]}. */
    @Override
    public String toString() {
        return "KeyRing[current=" + current.fingerprint() + ", fallbacks="
                + fallbacks.stream().map(SecretKey::fingerprint).collect(Collectors.joining(", ", "[", "]")) + "]";
    }
}
