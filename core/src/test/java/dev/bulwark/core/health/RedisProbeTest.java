package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The Redis probe against a real Redis: embedded (com.github.codemonstur), or the server named by {@code
 * BULWARK_TEST_REDIS_URL} for the "up" case.
 */
class RedisProbeTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final String PASSWORD = "s3cret:with@odd/chars";

    private static @Nullable RedisServer redis;
    private static int port;

    @BeforeAll
    static void startRedis() throws Exception {
        port = HealthProbesTest.closedPort();
        redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("requirepass " + PASSWORD)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.stop();
        }
    }

    private static String url(String userInfo, String db) {
        return "redis://" + userInfo + "127.0.0.1:" + port + db;
    }

    private static String encodedPassword() {
        return java.net.URLEncoder.encode(PASSWORD, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void reachableRedisIsUp() throws Exception {
        String external = System.getenv("BULWARK_TEST_REDIS_URL");
        String target = external != null && !external.isBlank() ? external : url(":" + encodedPassword() + "@", "/3");

        ProbeResult result = HealthProbes.redis(target).check(TIMEOUT.multipliedBy(10));

        assertThat(result.status()).isEqualTo(Status.UP);
        assertThat(result.details().get("target").toString()).doesNotContain("s3cret");
    }

    @Test
    void aclUserAndPasswordAreSent() throws Exception {
        ProbeResult result = HealthProbes.redis(url("default:" + encodedPassword() + "@", ""))
                .check(TIMEOUT.multipliedBy(10));
        assertThat(result.status()).isEqualTo(Status.UP);
    }

    @Test
    void wrongPasswordIsDown() throws Exception {
        ProbeResult result = HealthProbes.redis(url(":nope@", "/0")).check(TIMEOUT.multipliedBy(10));

        assertThat(result.status()).isEqualTo(Status.DOWN);
        assertThat(result.error()).isEqualTo("redis error reply to AUTH");
        assertThat(result.message()).startsWith("redis answered AUTH with: WRONGPASS");
    }

    @Test
    void missingPasswordIsDown() throws Exception {
        ProbeResult result = HealthProbes.redis(url("", "")).check(TIMEOUT.multipliedBy(10));

        assertThat(result.status()).isEqualTo(Status.DOWN);
        assertThat(result.message()).startsWith("redis answered PING with: NOAUTH");
    }

    @Test
    void stoppedRedisIsDown() throws Exception {
        int stoppedPort = HealthProbesTest.closedPort();
        RedisServer stopped = RedisServer.newRedisServer()
                .port(stoppedPort)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .build();
        stopped.start();
        ProbeCheck check = HealthProbes.redis("redis://127.0.0.1:" + stoppedPort);
        assertThat(check.check(TIMEOUT.multipliedBy(10)).status()).isEqualTo(Status.UP);
        stopped.stop();

        HealthRegistry registry = HealthRegistry.builder()
                .probe(HealthProbe.builder("redis", check).timeout(TIMEOUT).build())
                .build();
        try {
            registry.lifecycle().markStarted();
            ProbeResult result =
                    registry.evaluate(HealthRegistry.READINESS).checks().get("redis");
            assertThat(result.status()).isEqualTo(Status.DOWN);
            assertThat(result.error()).isEqualTo(ConnectException.class.getName());
        } finally {
            registry.close();
        }
    }

    @Test
    void hungRedisIsDownWithinTheTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts and never answers
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HealthRegistry registry = HealthRegistry.builder()
                    .probe(HealthProbe.builder(
                                    "redis", HealthProbes.redis("redis://127.0.0.1:" + silent.getLocalPort()))
                            .timeout(TIMEOUT)
                            .build())
                    .build();
            try {
                registry.lifecycle().markStarted();
                long start = System.nanoTime();
                ProbeResult result =
                        registry.evaluate(HealthRegistry.READINESS).checks().get("redis");
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertThat(millis).isLessThan(TIMEOUT.toMillis() + 300);
                assertThat(result.status()).isEqualTo(Status.DOWN);
                assertThat(result.error()).isIn("timed out after 300 ms", "java.net.SocketTimeoutException");
            } finally {
                registry.close();
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void checkWithoutTheEngineStillHonoursTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(5_000);
                } catch (IOException | InterruptedException e) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> HealthProbes.redis("redis://127.0.0.1:" + silent.getLocalPort())
                            .check(TIMEOUT))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(TIMEOUT.toMillis() + 300);
        }
    }

    @Test
    void uriIsValidatedWithoutShowingThePassword() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.redis("redis://:hunter2@:6379"))
                .withMessage("redis uri must name a host, such as redis://redis:6379: 'redis://***@:6379'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.redis("redis://:hunter2@cache:6379/0?x=1"))
                .withMessage("redis uri must not have a query or fragment: 'redis://***@cache:6379/0'");
        assertThat(HealthProbes.redis("rediss://user:hunter2@[::1]:6380/1").toString())
                .isEqualTo("redis(rediss://***@[::1]:6380/1)");
        assertThat(HealthProbes.redis("redis://cache").toString()).isEqualTo("redis(redis://cache:6379/0)");
    }
}
