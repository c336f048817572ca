package dev.bulwark.spring;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The application secret key ({@code bulwark.secret-key}) and the keys it replaced ({@code
 * bulwark.secret-key-fallbacks}). The key may also come from the environment variable {@code BULWARK_SECRET_KEY} or
 * a file named by {@code BULWARK_SECRET_KEY_FILE}; it is never logged.
 *
 * @param secretKey Secret key used to sign values; prefer BULWARK_SECRET_KEY or BULWARK_SECRET_KEY_FILE over a file
 *     in the repository
 * @param secretKeyFallbacks Previous secret keys, still accepted when verifying signatures, so that rotation does not
 *     log everyone out; remove each after the longest lifetime of values signed with it
 */
@ConfigurationProperties("bulwark")
public record SecretKeyProperties(
        @Nullable String secretKey, @DefaultValue List<String> secretKeyFallbacks) {

    /** Masks the key. */
    @Override
    public String toString() {
        return "SecretKeyProperties[secretKey=" + (secretKey == null ? "unset" : "******") + ", fallbacks="
                + secretKeyFallbacks.size() + "]";
    }
}
