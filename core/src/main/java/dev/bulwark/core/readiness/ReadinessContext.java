package dev.bulwark.core.readiness;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the readiness checks inspect: the application's configured Bulwark components (looked up by type) and a few
 * facts about the deployment.
 *
 * <p>Immutable and safe for concurrent use. A component that is absent means that capability is switched off. Build it
 * from explicit components ({@link Builder#component(Class, Object)}) for a plain servlet application, or from a lookup
 * function (the Spring adapter passes its bean factory), so that checks for new capabilities need no wiring.
 */
public final class ReadinessContext {

    private final Map<Class<?>, Object> components;
    private final @Nullable Function<Class<?>, @Nullable Object> lookup;
    private final Set<String> profiles;
    private final boolean production;
    private final boolean tls;

    private ReadinessContext(Builder b) {
        this.components = Map.copyOf(b.components);
        this.lookup = b.lookup;
        this.profiles = Set.copyOf(b.profiles);
        this.production = b.production;
        this.tls = b.tls;
    }

    /** Returns a builder with no components, not in production, without TLS on this server. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the component of this type, if the capability is configured. */
    public <T> Optional<T> component(Class<T> type) {
        requireNonNull(type, "type");
        Object found = components.get(type);
        if (found == null && lookup != null) {
            found = lookup.apply(type);
        }
        return Optional.ofNullable(found).map(type::cast);
    }

    /** Returns the active profiles (Spring profiles, or whatever the application calls its environments). */
    public Set<String> profiles() {
        return profiles;
    }

    /** Returns whether the application runs with a production profile. */
    public boolean production() {
        return production;
    }

    /** Returns whether this server terminates TLS itself (for example {@code server.ssl.enabled}). */
    public boolean tls() {
        return tls;
    }

    /** Builds a {@link ReadinessContext}. Not thread-safe. */
    public static final class Builder {
        private final Map<Class<?>, Object> components = new LinkedHashMap<>();
        private @Nullable Function<Class<?>, @Nullable Object> lookup;
        private final Set<String> profiles = new LinkedHashSet<>();
        private boolean production;
        private boolean tls;

        private Builder() {}

        /** Adds a configured component, for example the {@code SecurityHeadersPolicy}. */
        public <T> Builder component(Class<T> type, T component) {
            components.put(requireNonNull(type, "type"), requireNonNull(component, "component"));
            return this;
        }

        /** Sets a fallback lookup for components not added explicitly; it returns {@code null} for absent ones. */
        public Builder lookup(Function<Class<?>, @Nullable Object> lookup) {
            this.lookup = requireNonNull(lookup, "lookup");
            return this;
        }

        /** Sets the active profiles. */
        public Builder profiles(Iterable<String> profiles) {
            requireNonNull(profiles, "profiles").forEach(this.profiles::add);
            return this;
        }

        /** Sets whether this is a production deployment. Default {@code false}. */
        public Builder production(boolean production) {
            this.production = production;
            return this;
        }

        /** Sets whether this server terminates TLS itself. Default {@code false}. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Builds the context. */
        public ReadinessContext build() {
            return new ReadinessContext(this);
        }
    }
}
