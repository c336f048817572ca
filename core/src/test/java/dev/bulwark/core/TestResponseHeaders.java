package dev.bulwark.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** A hand-written {@link ResponseHeaders} for tests: case-insensitive, keeps insertion order of names. */
public final class TestResponseHeaders implements ResponseHeaders {

    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> order = new LinkedHashMap<>();
    private boolean opaque;

    /** Makes {@link #isEmpty()} answer "cannot tell" (false), like a sink without a cheap emptiness check. */
    public TestResponseHeaders opaque() {
        this.opaque = true;
        return this;
    }

    @Override
    public boolean isEmpty() {
        return !opaque && headers.isEmpty();
    }

    @Override
    public boolean contains(String name) {
        return headers.containsKey(name);
    }

    @Override
    public @Nullable String get(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    @Override
    public void set(String name, String value) {
        List<String> values = new ArrayList<>();
        values.add(value);
        headers.put(name, values);
        order.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
    }

    @Override
    public void add(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        order.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
    }

    @Override
    public List<String> values(String name) {
        return List.copyOf(all(name));
    }

    public List<String> all(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** Returns the first value of each header, in the order the names were first written. */
    public Map<String, String> asMap() {
        Map<String, String> result = new LinkedHashMap<>();
        order.values().forEach(n -> result.put(n, get(n)));
        return result;
    }
}
