package dev.bulwark.spring;

import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthProbes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Builds the probes Bulwark registers on its own: one JDBC probe per {@link DataSource} bean, one Redis probe when
 * the application has a Redis connection bean, and the probes declared under {@code bulwark.health.probes}. Stateless.
 */
final class HealthAutoProbes {

    static final String P = "bulwark.health.";

    /** The probe name of the only data source; with several, each probe is named after its bean. */
    static final String DATASOURCE_PROBE = "db";

    /** The probe name of the Redis probe. */
    static final String REDIS_PROBE = "redis";

    /** Types whose beans mean "this application talks to Redis"; checked by name, none is a dependency. */
    static final List<String> REDIS_TYPES = List.of(
            "org.springframework.data.redis.connection.RedisConnectionFactory",
            "io.lettuce.core.RedisClient",
            "redis.clients.jedis.UnifiedJedis",
            "redis.clients.jedis.JedisPool");

    private static final Logger log = LoggerFactory.getLogger(HealthAutoProbes.class);

    private HealthAutoProbes() {}

    /** Returns the probes declared in configuration, by name; failures name the property. */
    static Map<String, HealthProbe> declared(Map<String, HealthProperties.Probe> specs) {
        Map<String, HealthProbe> probes = new LinkedHashMap<>();
        specs.forEach((name, spec) -> probes.put(name, declared(name, spec)));
        return probes;
    }

    /** Returns one declared probe; a failure names the property. */
    static HealthProbe declared(String name, HealthProperties.Probe spec) {
        try {
            return HealthProbes.fromSpec(
                    name, spec.type(), spec.target(), spec.timeout(), spec.critical(), spec.groups());
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String property = P + "probes." + name;
            int end = message.indexOf(' ');
            if (message.startsWith(property) && end > 0) {
                property = message.substring(0, end).replaceAll("[:.]+$", "");
            }
            String value = property.endsWith(".target")
                    ? Objects.requireNonNullElse(spec.target(), "")
                    : property.endsWith(".type") ? Objects.requireNonNullElse(spec.type(), "") : name;
            throw new InvalidBulwarkPropertyException(property, value, message, e);
        }
    }

    /** Returns the data source beans by name, without creating beans that are not created yet. */
    static String[] dataSourceNames(ListableBeanFactory beans) {
        return beans.getBeanNamesForType(DataSource.class, false, false);
    }

    /** Returns the probe name for a data source bean: {@code db} when it is the only one, else its sanitized name. */
    static String dataSourceProbeName(String beanName, int dataSources) {
        if (dataSources <= 1) {
            return DATASOURCE_PROBE;
        }
        StringBuilder sb = new StringBuilder(Math.min(beanName.length(), 64));
        for (int i = 0; i < beanName.length() && sb.length() < 64; i++) {
            char c = beanName.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == '-';
            sb.append(ok ? c : '-');
        }
        if (sb.length() == 0 || !Character.isLetterOrDigit(sb.charAt(0)) || "lifecycle".contentEquals(sb)) {
            sb.insert(0, "db-");
        }
        return sb.toString();
    }

    /** Returns the JDBC probe of a data source bean. */
    static HealthProbe dataSource(String probeName, DataSource dataSource, HealthProperties.AutoProbe settings) {
        return Props.bind(
                P + "datasource", probeName, () -> HealthProbe.builder(probeName, HealthProbes.jdbc(dataSource))
                        .timeout(settings.timeout())
                        .critical(settings.critical())
                        .groups(settings.groups())
                        .build());
    }

    /** Returns the JDBC probes of every data source bean (creating them), in bean order. */
    static List<HealthProbe> dataSources(ListableBeanFactory beans, HealthProperties.AutoProbe settings) {
        List<HealthProbe> probes = new ArrayList<>();
        if (!settings.enabled()) {
            return probes;
        }
        Map<String, DataSource> dataSources = beans.getBeansOfType(DataSource.class, false, true);
        dataSources.forEach(
                (name, ds) -> probes.add(dataSource(dataSourceProbeName(name, dataSources.size()), ds, settings)));
        return probes;
    }

    /**
     * Returns the Redis probe when the application has a Redis connection bean, built from {@code spring.data.redis.*}
     * (the URL, or host, port, username, password, database and SSL); none for Sentinel or Cluster set-ups.
     */
    static @Nullable HealthProbe redis(
            ListableBeanFactory beans, Environment env, HealthProperties.AutoProbe settings, ClassLoader loader) {
        if (!settings.enabled() || !hasRedisBean(beans, loader)) {
            return null;
        }
        if (env.containsProperty("spring.data.redis.sentinel.master")
                || env.containsProperty("spring.data.redis.cluster.nodes")
                || env.containsProperty("spring.data.redis.cluster.nodes[0]")) {
            log.info("no Bulwark redis health probe for a Redis Sentinel or Cluster set-up; declare one under"
                    + " bulwark.health.probes.<name> with type=redis for a node to check");
            return null;
        }
        String uri = redisUri(env);
        boolean fromHost = env.getProperty("spring.data.redis.url", "").isBlank();
        return Props.bind(
                fromHost ? "spring.data.redis.host" : "spring.data.redis.url",
                fromHost ? env.getProperty("spring.data.redis.host", "localhost") : "(not shown: may hold a password)",
                () -> HealthProbe.builder(REDIS_PROBE, HealthProbes.redis(uri))
                        .timeout(settings.timeout())
                        .critical(settings.critical())
                        .groups(settings.groups())
                        .build());
    }

    static boolean hasRedisBean(ListableBeanFactory beans, ClassLoader loader) {
        for (String type : REDIS_TYPES) {
            if (ClassUtils.isPresent(type, loader)
                    && beans.getBeanNamesForType(ClassUtils.resolveClassName(type, loader), true, false).length > 0) {
                return true;
            }
        }
        return false;
    }

    /** Returns the Redis URI Spring Boot would connect to. */
    static String redisUri(Environment env) {
        String url = env.getProperty("spring.data.redis.url");
        if (url != null && !url.isBlank()) {
            return url.strip();
        }
        boolean ssl = env.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false)
                || env.containsProperty("spring.data.redis.ssl.bundle");
        String host = env.getProperty("spring.data.redis.host", "localhost").strip();
        int port = env.getProperty("spring.data.redis.port", Integer.class, 6379);
        int database = env.getProperty("spring.data.redis.database", Integer.class, 0);
        String username = env.getProperty("spring.data.redis.username");
        String password = env.getProperty("spring.data.redis.password");
        StringBuilder sb = new StringBuilder(ssl ? "rediss://" : "redis://");
        if (password != null && !password.isEmpty()) {
            if (username != null && !username.isEmpty()) {
                sb.append(encode(username));
            }
            sb.append(':').append(encode(password)).append('@');
        }
        sb.append(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
        sb.append(':').append(port).append('/').append(database);
        return sb.toString();
    }

    /** Percent-encodes user info: everything but RFC 3986 unreserved characters. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
