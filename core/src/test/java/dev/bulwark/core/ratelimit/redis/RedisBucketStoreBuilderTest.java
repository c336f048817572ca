package dev.bulwark.core.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.bulwark.core.ratelimit.BucketStore;
import io.lettuce.core.SslOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder validation and parsing; nothing here needs a running Redis. */
class RedisBucketStoreBuilderTest {

    @Test
    void defaults() {
        assertThat(RedisBucketStore.DEFAULT_KEY_PREFIX).isEqualTo("bulwark:rl:");
        assertThat(RedisBucketStore.DEFAULT_TIMEOUT).isEqualTo(Duration.ofMillis(100));
        assertThat(RedisBucketStore.DEFAULT_FAILURE_THRESHOLD).isEqualTo(5);
        assertThat(RedisBucketStore.DEFAULT_COOL_DOWN).isEqualTo(Duration.ofSeconds(2));
        try (RedisBucketStore store = RedisBucketStore.builder()
                .uri("redis://:s3cret@127.0.0.1:" + TestRedis.freePort() + "/2")
                .connectTimeout(Duration.ofMillis(200))
                .build()) {
            assertThat(store.keyPrefix()).isEqualTo("bulwark:rl:");
            assertThat(store.timeout()).isEqualTo(Duration.ofMillis(100));
            assertThat(store.failureMode()).isEqualTo(FailureMode.OPEN);
            assertThat(store.toString())
                    .startsWith("RedisBucketStore[redis://****@127.0.0.1:")
                    .doesNotContain("s3cret");
            assertThat(store.trackedKeys()).isZero();
            assertThat(store.forcedEvictions()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://localhost",
                "redis://:password@localhost:6380/3",
                "rediss://user:password@redis.example.com:6380",
                "redis-sentinel://localhost:26379,localhost:26380/0#mymaster",
                "redis://node1:7000,redis://node2:7001,rediss://node3:7002",
                "redis-socket:///tmp/redis.sock"
            })
    void acceptsEveryUriForm(String uri) {
        RedisBucketStore.builder().uri(uri);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "localhost:6379 | redis uri must start with redis://, rediss:// (TLS), redis-sentinel:// or "
                        + "redis-socket://, as in redis://:password@localhost:6379/0: 'localhost:6379'",
                "http://:s3cret@localhost | redis uri must start with redis://, rediss:// (TLS), redis-sentinel:// or "
                        + "redis-socket://, as in redis://:password@localhost:6379/0: 'http://****@localhost'",
                "redis://a:7000,redis-socket:///tmp/s | redis cluster nodes must be redis:// or rediss:// uris: "
                        + "'redis-socket:///tmp/s'",
                "'redis://a:7000,' | redis uri must not be empty: 'redis://a:7000,'",
            })
    void rejectsOtherUrisNamingThem(String uri, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisBucketStore.builder().uri(uri))
                .withMessage(message);
    }

    @Test
    void aPasswordNeverAppearsInAnError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisBucketStore.builder().uri("redis://user:s3cret@"))
                .withMessageContaining("redis://****@")
                .withMessageNotContaining("s3cret");
    }

    @Test
    void settingsAreValidatedWhenSet() {
        RedisBucketStore.Builder builder = RedisBucketStore.builder();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.timeout(Duration.ZERO))
                .withMessage("redis timeout must be between 1 ms and 60 s: PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.connectTimeout(Duration.ofMinutes(2)))
                .withMessage("redis connect timeout must be between 1 ms and 60 s: PT2M");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.coolDown(Duration.ofMillis(-1)))
                .withMessage("redis breaker cool-down must be between 1 ms and 3600 s: PT-0.001S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.failureThreshold(0))
                .withMessage("redis breaker failure threshold must be between 1 and 1000: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.keyPrefix("rate limits:"))
                .withMessage("redis key prefix must not contain whitespace or control characters: 'rate limits:'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.localMaxTrackedKeys(0))
                .withMessage("max tracked keys must be at least 1: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.clusterNodes(List.of()))
                .withMessage("redis cluster needs at least one node");
        assertThatNullPointerException().isThrownBy(() -> builder.uri(null)).withMessage("uri");
        assertThatNullPointerException()
                .isThrownBy(() -> builder.failureMode(null))
                .withMessage("failureMode");
        assertThatNullPointerException()
                .isThrownBy(() -> builder.localFallback((BucketStore) null))
                .withMessage("localFallback");
    }

    @Test
    void exactlyOneSourceIsRequired() {
        assertThatIllegalStateException()
                .isThrownBy(() -> RedisBucketStore.builder().build())
                .withMessage("redis store needs exactly one of a uri, a client or a connection; none was given");
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create();
        try {
            assertThatIllegalStateException()
                    .isThrownBy(() -> RedisBucketStore.builder()
                            .uri("redis://localhost")
                            .client(client)
                            .build())
                    .withMessage(
                            "redis store needs exactly one of a uri, a client or a connection; several were given");
            assertThatIllegalStateException()
                    .isThrownBy(() -> RedisBucketStore.builder()
                            .client(client)
                            .sslOptions(SslOptions.create())
                            .build())
                    .withMessage("redis ssl options apply to a uri only; an application's client or connection "
                            + "keeps its own");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void failureModesParse() {
        assertThat(FailureMode.parse("open")).isEqualTo(FailureMode.OPEN);
        assertThat(FailureMode.parse(" Closed ")).isEqualTo(FailureMode.CLOSED);
        assertThat(FailureMode.parse("LOCAL")).isEqualTo(FailureMode.LOCAL);
        assertThat(FailureMode.LOCAL).hasToString("local");
        assertThat(BreakerState.HALF_OPEN).hasToString("half_open");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FailureMode.parse("fail-open"))
                .withMessage("redis failure mode must be open, closed or local: 'fail-open'");
    }
}
