package dev.bulwark.spring;

import dev.bulwark.core.limits.RequestLimits;

/**
 * Customizes the {@link RequestLimits.Builder} after {@code bulwark.limits.*} properties are applied and before the
 * limits are built, for example to add body size overrides computed in code. Customizer beans run in {@link
 * org.springframework.core.annotation.Order} order, once, at startup.
 */
@FunctionalInterface
public interface RequestLimitsCustomizer {

    /** Customizes the builder. */
    void customize(RequestLimits.Builder builder);
}
