package dev.bulwark.spring;

import dev.bulwark.core.headers.CookiePolicy;

/**
 * Customizes the {@link CookiePolicy} built from {@code bulwark.cookies.*} before it is built. Beans of this type are
 * applied in {@code @Order}; called once at startup.
 */
@FunctionalInterface
public interface CookiePolicyCustomizer {

    /** Customizes the builder. */
    void customize(CookiePolicy.Builder builder);
}
