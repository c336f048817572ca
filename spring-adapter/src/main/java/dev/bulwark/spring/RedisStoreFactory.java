package dev.bulwark.spring;

import dev.bulwark.core.ratelimit.redis.FailureMode;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import io.lettuce.core.AbstractRedisClient;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Maps {@code bulwark.rate-limit.redis.*} onto a {@link RedisBucketStore}. Loaded only when Lettuce is on the classpath;
 * Spring Data Redis is touched only when it is there too.
 */
final class RedisStoreFactory {

    private static final String R = "bulwark.rate-limit.redis.";
    private static final String LETTUCE_CONNECTION_FACTORY =
            "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@");

    private RedisStoreFactory() {}

    static RedisBucketStore create(RateLimitProperties properties, ListableBeanFactory beans) {
        RateLimitProperties.Redis redis = properties.redis();
        RedisBucketStore.Builder builder = RedisBucketStore.builder();
        String uri = redis.uri();
        if (uri != null && !uri.isBlank()) {
            Props.apply(R + "uri", mask(uri), () -> builder.uri(uri));
            builder.cluster(redis.cluster());
        } else {
            AbstractRedisClient client = applicationClient(beans);
            if (client == null) {
                throw new InvalidBulwarkPropertyException(
                        R + "uri",
                        "",
                        "missing; with bulwark.rate-limit.store=redis set it (redis://localhost:6379), or define a "
                                + "Lettuce RedisClient or a Spring Data Redis LettuceConnectionFactory bean",
                        new IllegalArgumentException());
            }
            builder.client(client);
        }
        Props.apply(R + "key-prefix", redis.keyPrefix(), () -> builder.keyPrefix(redis.keyPrefix()));
        Props.apply(R + "timeout", redis.timeout(), () -> builder.timeout(redis.timeout()));
        Props.apply(
                R + "connect-timeout", redis.connectTimeout(), () -> builder.connectTimeout(redis.connectTimeout()));
        Props.apply(
                R + "failure-mode",
                redis.failureMode(),
                () -> builder.failureMode(FailureMode.parse(redis.failureMode())));
        RateLimitProperties.Breaker breaker = redis.breaker();
        Props.apply(
                R + "breaker.failure-threshold",
                breaker.failureThreshold(),
                () -> builder.failureThreshold(breaker.failureThreshold()));
        Props.apply(R + "breaker.cool-down", breaker.coolDown(), () -> builder.coolDown(breaker.coolDown()));
        Props.apply(
                "bulwark.rate-limit.max-tracked-keys",
                properties.maxTrackedKeys(),
                () -> builder.localMaxTrackedKeys(properties.maxTrackedKeys()));
        return builder.build();
    }

    /** The application's Lettuce client: a {@code RedisClient}/{@code RedisClusterClient} bean, or Spring Data's. */
    private static @Nullable AbstractRedisClient applicationClient(ListableBeanFactory beans) {
        AbstractRedisClient client =
                beans.getBeanProvider(AbstractRedisClient.class).getIfUnique();
        if (client == null
                && ClassUtils.isPresent(LETTUCE_CONNECTION_FACTORY, RedisStoreFactory.class.getClassLoader())) {
            client = SpringDataRedis.nativeClient(beans);
        }
        return client;
    }

    /** Masks a password in a URI before it is shown in an error. */
    static String mask(String uri) {
        return USER_INFO.matcher(uri).replaceFirst("$1****@");
    }

    /** Separate so that Spring Data Redis classes are only loaded when present. */
    private static final class SpringDataRedis {
        static @Nullable AbstractRedisClient nativeClient(ListableBeanFactory beans) {
            LettuceConnectionFactory factory =
                    beans.getBeanProvider(LettuceConnectionFactory.class).getIfUnique();
            if (factory == null) {
                return null;
            }
            if (factory.getNativeClient() == null) {
                // a factory without early start-up creates its client when started
                factory.start();
            }
            return factory.getNativeClient();
        }
    }
}
