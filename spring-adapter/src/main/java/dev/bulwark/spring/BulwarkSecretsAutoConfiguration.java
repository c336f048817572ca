package dev.bulwark.spring;

import dev.bulwark.core.secrets.KeyRing;
import dev.bulwark.core.secrets.LoadedSecretKey;
import dev.bulwark.core.secrets.SecretKey;
import dev.bulwark.core.secrets.SecretKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The secret key: a {@link LoadedSecretKey} and a {@link KeyRing} (current key plus {@code
 * bulwark.secret-key-fallbacks}) when a key is configured through {@code bulwark.secret-key}, {@code
 * BULWARK_SECRET_KEY} or {@code BULWARK_SECRET_KEY_FILE}. Sign values with {@code Signer.of(keyRing, "purpose")}.
 * Without a key there are no beans, and the readiness report says so ({@code BW-S001}); a weak key is reported there
 * too ({@code BW-S002}/{@code S003}), failing startup in production.
 */
@AutoConfiguration
@EnableConfigurationProperties(SecretKeyProperties.class)
public class BulwarkSecretsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Conditional(SecretKeyConfigured.class)
    LoadedSecretKey bulwarkSecretKey(SecretKeyProperties properties, Environment environment) {
        Map<String, String> env = environmentView(environment);
        // Spring maps BULWARK_SECRET_KEY onto bulwark.secret-key: report such a key as coming from the environment
        String property = properties.secretKey();
        if (property != null && property.equals(env.get(SecretKeys.ENV))) {
            property = null;
        }
        String value = property;
        Optional<LoadedSecretKey> loaded = Props.bind(SecretKeys.PROPERTY, "******", () -> SecretKeys.find(value, env));
        return loaded.orElseThrow(() -> new InvalidBulwarkPropertyException(
                SecretKeys.PROPERTY,
                "",
                "blank; set a key or remove the property",
                new IllegalArgumentException("blank secret key")));
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(SecretKeyConfigured.class)
    KeyRing bulwarkKeyRing(LoadedSecretKey key, SecretKeyProperties properties) {
        List<SecretKey> fallbacks = Props.bind(
                SecretKeys.FALLBACKS_PROPERTY, "******", () -> SecretKeys.fallbacks(properties.secretKeyFallbacks()));
        return KeyRing.of(key.key(), fallbacks);
    }

    private static Map<String, String> environmentView(Environment environment) {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(SecretKeys.ENV, SecretKeys.FILE_ENV)) {
            String value = environment.getProperty(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /** Matches when a key is configured in any of the three places (blank values count as unset). */
    static final class SecretKeyConfigured implements ConfigurationCondition {
        @Override
        public ConfigurationPhase getConfigurationPhase() {
            return ConfigurationPhase.REGISTER_BEAN;
        }

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            return hasText(environment.getProperty(SecretKeys.PROPERTY))
                    || hasText(environment.getProperty(SecretKeys.ENV))
                    || hasText(environment.getProperty(SecretKeys.FILE_ENV));
        }

        private static boolean hasText(@Nullable String value) {
            return value != null && !value.isBlank();
        }
    }
}
