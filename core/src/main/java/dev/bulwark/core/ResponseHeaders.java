package dev.bulwark.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A sink for response headers that core decisions write into.
 *
 * <p>Header names are case-insensitive. Implementations are used by one request thread at a time and need not be
 * thread-safe.
 */
public interface ResponseHeaders {

    /** Returns whether a header of this name has already been set on the response. */
    boolean contains(String name);

    /** Returns the first value of the named header, or {@code null} when it is not set. */
    @Nullable
    String get(String name);

    /**
     * Returns every value of the named header, in order; empty when it is not set. The default returns the first
     * value only; sinks over a response that can hold several header lines should override it.
     */
    default List<String> values(String name) {
        String value = get(name);
        return value == null ? List.of() : List.of(value);
    }

    /** Sets the header, replacing every existing value. */
    void set(String name, String value);

    /** Adds a value to the header, keeping existing values. */
    void add(String name, String value);

    /**
     * Returns true only when the response certainly carries no header yet, which lets a caller add headers without
     * checking each one first. The default, for sinks that cannot tell cheaply, is false.
     */
    default boolean isEmpty() {
        return false;
    }
}
