package dev.bulwark.spring;

import dev.bulwark.core.client.ClientAddressResolver;

/**
 * Customizes the {@link ClientAddressResolver} built from {@code bulwark.client.*} before it is built. Beans of this
 * type are applied in {@code @Order}; called once at startup.
 */
@FunctionalInterface
public interface ClientAddressResolverCustomizer {

    /** Customizes the builder. */
    void customize(ClientAddressResolver.Builder builder);
}
