package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ratelimit.BucketStore;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.ratelimit.redis.FailureMode;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import redis.embedded.RedisServer;

/** {@code bulwark.rate-limit.store=redis}: wiring, reuse of the application's client, defaults and failures. */
class BulwarkRedisStoreAutoConfigurationTest {

    private static int port;
    private static RedisServer redis;

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BulwarkClientAutoConfiguration.class, BulwarkRateLimitAutoConfiguration.class))
            .withPropertyValues("bulwark.rate-limit.anonymous=100/min");

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).setting("save \"\"").build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
    }

    private static String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Test
    void storeRedisWithAUriSharesLimitsThroughRedisAndClosesWithTheContext() {
        RedisBucketStore[] seen = new RedisBucketStore[1];
        runner.withPropertyValues(
                        "bulwark.rate-limit.store=redis",
                        "bulwark.rate-limit.redis.uri=" + uri(),
                        "bulwark.rate-limit.redis.key-prefix=test:wiring:",
                        "bulwark.rate-limit.redis.timeout=250ms",
                        "bulwark.rate-limit.redis.failure-mode=closed",
                        "bulwark.rate-limit.redis.breaker.failure-threshold=3",
                        "bulwark.rate-limit.redis.breaker.cool-down=5s",
                        "bulwark.rate-limit.scopes.login.rate=2/min")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RateLimiter limiter = context.getBean(RateLimiter.class);
                    RedisBucketStore store = connected(context.getBean(RedisBucketStore.class));
                    seen[0] = store;
                    assertThat(limiter.store()).isSameAs(store);
                    assertThat(store.keyPrefix()).isEqualTo("test:wiring:");
                    assertThat(store.timeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(store.failureMode()).isEqualTo(FailureMode.CLOSED);
                    assertThat(store.failureThreshold()).isEqualTo(3);
                    assertThat(store.coolDown()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(store.toString()).startsWith("RedisBucketStore[redis://127.0.0.1:" + port);
                    String account = "wiring-" + System.nanoTime();
                    assertThat(limiter.tryAcquire("login", account).allowed()).isTrue();
                    assertThat(limiter.tryAcquire("login", account).allowed()).isTrue();
                    assertThat(limiter.tryAcquire("login", account).allowed()).isFalse();
                    assertThat(store.stats().decisions()).isEqualTo(3);
                    assertThat(store.ping(Duration.ofSeconds(1)).up()).isTrue();
                });
        assertThat(seen[0].ping(Duration.ofSeconds(1)).detail()).isEqualTo("store closed");
    }

    @Test
    void theApplicationsLettuceClientIsReusedAndNotClosedByTheStore() {
        RedisClient client = RedisClient.create(uri());
        try {
            runner.withBean(RedisClient.class, () -> client)
                    .withPropertyValues("bulwark.rate-limit.store=redis")
                    .run(context -> {
                        RedisBucketStore store = connected(context.getBean(RedisBucketStore.class));
                        assertThat(store.toString()).contains("application client RedisClient");
                        assertThat(context.getBean(RateLimiter.class)
                                        .tryAcquire("anon", "198.51.100.7")
                                        .allowed())
                                .isTrue();
                        assertThat(store.stats().decisions()).isEqualTo(1);
                        // closing the store leaves the application's client alone (the context closes that bean)
                        store.close();
                        try (var connection = client.connect()) {
                            assertThat(connection.sync().ping()).isEqualTo("PONG");
                        }
                    });
        } finally {
            client.shutdown();
        }
    }

    @Test
    void springDataRedisLettuceConnectionFactoryIsReused() {
        runner.withBean(
                        LettuceConnectionFactory.class,
                        () -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port)))
                .withPropertyValues("bulwark.rate-limit.store=redis")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisBucketStore store = connected(context.getBean(RedisBucketStore.class));
                    assertThat(store.toString()).contains("application client RedisClient");
                    assertThat(context.getBean(RateLimiter.class)
                                    .tryAcquire("anon", "198.51.100.8")
                                    .allowed())
                            .isTrue();
                    assertThat(store.stats().decisions()).isEqualTo(1);
                });
    }

    @Test
    void anApplicationBucketStoreWins() {
        BucketStore own = BucketStore.local(10);
        runner.withBean(BucketStore.class, () -> own)
                .withPropertyValues("bulwark.rate-limit.store=redis", "bulwark.rate-limit.redis.uri=" + uri())
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RedisBucketStore.class);
                    assertThat(context.getBean(RateLimiter.class).store()).isSameAs(own);
                });
    }

    @Test
    void localIsTheDefaultAndNoRedisIsTouched() {
        runner.withPropertyValues("bulwark.rate-limit.redis.uri=" + uri()).run(context -> {
            assertThat(context).doesNotHaveBean(RedisBucketStore.class);
            assertThat(context.getBean(RateLimiter.class).store().toString())
                    .isEqualTo("BucketStore.local(" + RateLimiter.DEFAULT_MAX_TRACKED_KEYS + ")");
        });
    }

    @Test
    void redisDefaultsMatchTheCoreDefaults() {
        RateLimitProperties properties = Binder.get(new org.springframework.core.env.StandardEnvironment())
                .bindOrCreate("bulwark.rate-limit", RateLimitProperties.class);
        assertThat(properties.store()).isEqualTo("local");
        RateLimitProperties.Redis redis = properties.redis();
        assertThat(redis.uri()).isNull();
        assertThat(redis.cluster()).isFalse();
        assertThat(redis.keyPrefix()).isEqualTo(RedisBucketStore.DEFAULT_KEY_PREFIX);
        assertThat(redis.timeout()).isEqualTo(RedisBucketStore.DEFAULT_TIMEOUT);
        assertThat(redis.connectTimeout()).isEqualTo(RedisBucketStore.DEFAULT_CONNECT_TIMEOUT);
        assertThat(FailureMode.parse(redis.failureMode())).isEqualTo(FailureMode.OPEN);
        assertThat(redis.breaker().failureThreshold()).isEqualTo(RedisBucketStore.DEFAULT_FAILURE_THRESHOLD);
        assertThat(redis.breaker().coolDown()).isEqualTo(RedisBucketStore.DEFAULT_COOL_DOWN);
    }

    @Test
    void aListOfUrisBindsAsClusterNodes() {
        RateLimitProperties properties = new Binder(new MapConfigurationPropertySource(
                        java.util.Map.of("bulwark.rate-limit.redis.uri", "redis://node1:7000,redis://node2:7001")))
                .bindOrCreate("bulwark.rate-limit", RateLimitProperties.class);
        assertThat(properties.redis().uri()).isEqualTo("redis://node1:7000,redis://node2:7001");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.rate-limit.store=memcached | bulwark.rate-limit.store | must be local or redis",
                "bulwark.rate-limit.redis.failure-mode=maybe | bulwark.rate-limit.redis.failure-mode "
                        + "| redis failure mode must be open, closed or local: 'maybe'",
                "bulwark.rate-limit.redis.uri=http://:s3cret@localhost | bulwark.rate-limit.redis.uri "
                        + "| redis uri must start with redis://",
                "bulwark.rate-limit.redis.timeout=0s | bulwark.rate-limit.redis.timeout "
                        + "| redis timeout must be between 1 ms and 60 s: PT0S",
                "bulwark.rate-limit.redis.key-prefix=a b | bulwark.rate-limit.redis.key-prefix "
                        + "| redis key prefix must not contain whitespace",
                "bulwark.rate-limit.redis.breaker.failure-threshold=0 | bulwark.rate-limit.redis.breaker.failure-threshold "
                        + "| redis breaker failure threshold must be between 1 and 1000: 0",
            })
    void invalidValuesFailStartupNamingTheProperty(String property, String name, String reason) {
        runner.withPropertyValues("bulwark.rate-limit.store=redis", "bulwark.rate-limit.redis.uri=" + uri(), property)
                .run(context -> {
                    InvalidBulwarkPropertyException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo(name);
                    assertThat(failure.reason()).startsWith(reason);
                    assertThat(failure.getMessage()).doesNotContain("s3cret");
                });
    }

    @Test
    void storeRedisWithoutAUriOrAClientFailsNamingTheUri() {
        runner.withPropertyValues("bulwark.rate-limit.store=redis").run(context -> {
            InvalidBulwarkPropertyException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("bulwark.rate-limit.redis.uri");
            assertThat(failure.reason()).startsWith("missing; with bulwark.rate-limit.store=redis set it");
        });
    }

    @Test
    void storeRedisWithoutLettuceFailsNamingTheStore() {
        runner.withClassLoader(new FilteredClassLoader(RedisClient.class))
                .withPropertyValues("bulwark.rate-limit.store=redis", "bulwark.rate-limit.redis.uri=" + uri())
                .run(context -> {
                    InvalidBulwarkPropertyException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("bulwark.rate-limit.store");
                    assertThat(failure.reason()).contains("io.lettuce:lettuce-core");
                });
    }

    @Test
    void theBreakerAndCallsArePublishedToTheMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("bulwark.rate-limit.store=redis", "bulwark.rate-limit.redis.uri=" + uri())
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(RateLimiter.class).tryAcquire("anon", "198.51.100.9");
                    assertThat(registry.get("bulwark.ratelimit.redis.breaker.state")
                                    .tag("state", "closed")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                    assertThat(registry.get("bulwark.ratelimit.redis.calls")
                                    .tag("outcome", "success")
                                    .functionCounter()
                                    .count())
                            .isEqualTo(1);
                });
    }

    /** Waits for the store's first connection (a cold JVM may take longer than the store waits at start-up). */
    private static RedisBucketStore connected(RedisBucketStore store) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!store.ping(Duration.ofSeconds(1)).up() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return store;
    }

    private static InvalidBulwarkPropertyException failure(Throwable startupFailure) {
        Throwable failure = startupFailure;
        while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
            failure = failure.getCause();
        }
        assertThat(failure)
                .as("startup failure %s", startupFailure)
                .isInstanceOf(InvalidBulwarkPropertyException.class);
        return (InvalidBulwarkPropertyException) failure;
    }
}
