package dev.bulwark.spring;

import dev.bulwark.core.headers.SecurityHeadersPolicy;

/**
 * Customizes the {@link SecurityHeadersPolicy} built from {@code bulwark.headers.*} before it is built. Beans of this
 * type are applied in {@code @Order}; called once at startup on the main thread.
 */
@FunctionalInterface
public interface SecurityHeadersCustomizer {

    /** Customizes the builder. */
    void customize(SecurityHeadersPolicy.Builder builder);
}
