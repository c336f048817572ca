package dev.bulwark.spring;

import dev.bulwark.core.cors.Cors;

/**
 * Customizes the {@link Cors} engine built from {@code bulwark.cors.*} before it is built (for example to add a
 * mapping in code). Beans of this type are applied in {@code @Order}; called once at startup.
 */
@FunctionalInterface
public interface CorsCustomizer {

    /** Customizes the builder. */
    void customize(Cors.Builder builder);
}
