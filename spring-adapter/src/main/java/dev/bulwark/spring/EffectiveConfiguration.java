package dev.bulwark.spring;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The effective {@code bulwark.*} configuration, as the application resolved it, with secrets masked: values of keys
 * naming a secret, password, token or credential are replaced by {@code ******}, and the password in a URI's user
 * information or in a {@code password} parameter too ({@code redis://user:******@host}, {@code
 * jdbc:postgresql://db/app?password=******}). Stateless.
 */
final class EffectiveConfiguration {

    static final String MASK = "******";

    private EffectiveConfiguration() {}

    /** Returns every {@code bulwark.*} property (canonical names, sorted) with its resolved, masked value. */
    static Map<String, String> of(ConfigurableEnvironment environment) {
        Map<String, String> result = new TreeMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    String canonical = canonical(name);
                    if (canonical.startsWith("bulwark.") && !result.containsKey(canonical)) {
                        String value = environment.getProperty(name);
                        result.put(canonical, mask(canonical, value == null ? "" : value));
                    }
                }
            }
        }
        return result;
    }

    /** Maps {@code BULWARK_RATE_LIMIT_ANONYMOUS} and {@code bulwark.rateLimit.anonymous} styles to one name. */
    static String canonical(String name) {
        if (name.startsWith("BULWARK_")) {
            return name.toLowerCase(Locale.ROOT).replace('_', '.');
        }
        return name;
    }

    static String mask(String key, String value) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.contains("secret")
                || lower.contains("password")
                || lower.contains("token")
                || lower.contains("credential")) {
            return MASK;
        }
        // a JDBC URL may carry the password as a parameter (jdbc:postgresql://db/app?user=app&password=…)
        value = value.replaceAll("(?i)([?&;]password=)[^&;]*", "$1" + MASK);
        int scheme = value.indexOf("://");
        int at = value.indexOf('@');
        if (scheme > 0 && at > scheme) {
            int colon = value.indexOf(':', scheme + 3);
            if (colon > 0 && colon < at) {
                return value.substring(0, colon + 1) + MASK + value.substring(at);
            }
            return value.substring(0, scheme + 3) + MASK + value.substring(at);
        }
        return value;
    }

    /** Renders the configuration as {@code key = value} lines. */
    static String render(Map<String, String> configuration) {
        StringBuilder text = new StringBuilder("Bulwark effective configuration (secrets masked):");
        if (configuration.isEmpty()) {
            text.append(System.lineSeparator()).append("  (no bulwark.* property set: defaults everywhere)");
        }
        configuration.forEach((key, value) -> text.append(System.lineSeparator())
                .append("  ")
                .append(key)
                .append(" = ")
                .append(value));
        return text.toString();
    }
}
