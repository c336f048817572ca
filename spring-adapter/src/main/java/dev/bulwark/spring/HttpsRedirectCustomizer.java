package dev.bulwark.spring;

import dev.bulwark.core.headers.HttpsRedirect;

/**
 * Customizes the {@link HttpsRedirect} built from {@code bulwark.https.*} before it is built. Beans of this type are
 * applied in {@code @Order}; called once at startup.
 */
@FunctionalInterface
public interface HttpsRedirectCustomizer {

    /** Customizes the builder. */
    void customize(HttpsRedirect.Builder builder);
}
