package dev.bulwark.core.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ratelimit.BucketKey;
import dev.bulwark.core.ratelimit.Consumption;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisSentinel;

/**
 * The Redis store behind Redis Sentinel ({@code redis-sentinel://}) against real processes: an embedded Redis 6.2
 * master and one Sentinel monitoring it, on free loopback ports, with the Sentinel's (rewritable) configuration in a
 * temporary directory. Stores that know only the Sentinel's address find the master and share one limit with each
 * other and with a store pointed straight at the master; an unknown master name gets no decision, and the warning names
 * it; after a failover to a replica the stores follow the new master and keep the replicated buckets. Always embedded
 * servers, whatever {@code BULWARK_TEST_REDIS_URL} says.
 */
class RedisBucketStoreSentinelTest {

    private static final String MASTER = "mymaster";
    private static final AtomicInteger TEST_IDS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static TestRedis master;
    private static Sentinel sentinel;

    @BeforeAll
    static void startMasterAndSentinel() {
        master = TestRedis.embedded(List.of());
        sentinel = Sentinel.start(dir.resolve("shared"), masterPort(master));
    }

    @AfterAll
    static void stopMasterAndSentinel() {
        try {
            if (sentinel != null) {
                sentinel.close();
            }
        } finally {
            if (master != null) {
                master.close();
            }
        }
    }

    private static int masterPort(TestRedis redis) {
        return RedisURI.create(redis.uri()).getPort();
    }

    private static String prefix() {
        return "bulwark:sentinel:" + ProcessHandle.current().pid() + ":" + TEST_IDS.incrementAndGet() + ":";
    }

    /** A store that fails closed (no decision is ever a guess) and probes Redis every 200 ms once its breaker opens. */
    private static RedisBucketStore store(String uri, String prefix) {
        return builder(uri, prefix).build();
    }

    private static RedisBucketStore.Builder builder(String uri, String prefix) {
        return RedisBucketStore.builder()
                .uri(uri)
                .keyPrefix(prefix)
                .failureMode(FailureMode.CLOSED)
                .timeout(Duration.ofSeconds(2))
                .coolDown(Duration.ofMillis(200));
    }

    private static String describe(long consumption) {
        return Consumption.isAllowed(consumption)
                ? "allowed remaining=" + Consumption.remaining(consumption)
                : Consumption.isUnavailable(consumption) ? "unavailable" : "rejected";
    }

    // ---------------------------------------------------------------------------------------------------- discovery

    @Test
    void storesThatKnowOnlyTheSentinelFindTheMasterAndShareOneLimit() {
        RateLimitPolicy policy = RateLimitPolicy.scope("shared").rates("6/hour").build();
        BucketKey key = BucketKey.name(policy, "alice");
        String prefix = prefix();
        // the Sentinel URI names no Redis port: only the Sentinel's, and the master's name
        String viaSentinel = sentinel.uri(MASTER);
        assertThat(viaSentinel).doesNotContain(":" + masterPort(master) + "/");
        try (RedisBucketStore first = store(viaSentinel, prefix);
                RedisBucketStore second = store(viaSentinel, prefix);
                RedisBucketStore direct = store(master.uri(), prefix)) {
            List<RedisBucketStore> nodes = List.of(first, second, direct);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                answers.add(describe(nodes.get(i % 3).tryConsume(key, 1)));
            }
            // one bucket: each answer counts every earlier call, whichever store made it
            assertThat(answers)
                    .containsExactly(
                            "allowed remaining=5",
                            "allowed remaining=4",
                            "allowed remaining=3",
                            "allowed remaining=2",
                            "allowed remaining=1",
                            "allowed remaining=0",
                            "rejected",
                            "rejected",
                            "rejected");
            for (RedisBucketStore node : nodes) {
                assertThat(node.stats().decisions()).isEqualTo(3);
                assertThat(node.stats().fallbacks()).isZero();
                assertThat(node.ping(Duration.ofSeconds(1)).up()).isTrue();
            }
            // the bucket lives on the master, and all three stores are connected to it
            assertThat(master.admin().pttl(first.redisKey(key))).isBetween(3_000_000L, 3_600_000L);
            assertThat(clientsNamed(master, "bulwark-rate-limit")).isEqualTo(3);
        }
    }

    @Test
    void anUnknownMasterNameGetsNoDecisionAndTheWarningSaysWhy() {
        RateLimitPolicy policy =
                RateLimitPolicy.scope("unknown").rates("6/hour").build();
        TestLog.Logged<RedisBucketStore> built = TestLog.during(() -> builder(sentinel.uri("nosuchmaster"), prefix())
                .coolDown(Duration.ofMinutes(1)) // no probe during the test: the breaker stays open
                .build());
        try (RedisBucketStore store = built.result()) {
            assertThat(built.log())
                    .contains(
                            "Redis rate-limit store at " + sentinel.uri("nosuchmaster") + ": not reachable at startup")
                    .contains("caused by RedisConnectionException: Cannot provide redisAddress using sentinel for "
                            + "masterId nosuchmaster");
            assertThat(Consumption.isUnavailable(store.tryConsume(BucketKey.name(policy, "bob"), 1)))
                    .isTrue();
            assertThat(store.stats().decisions()).isZero();
            assertThat(store.breakerState()).isEqualTo(BreakerState.OPEN);
        }
    }

    // ---------------------------------------------------------------------------------------------------- failover

    @Test
    void afterAFailoverTheStoresFollowTheNewMasterAndKeepTheBuckets() throws Exception {
        RateLimitPolicy policy =
                RateLimitPolicy.scope("failover").rates("10/hour").build();
        BucketKey key = BucketKey.name(policy, "carol");
        String prefix = prefix();
        try (TestRedis oldMaster = TestRedis.embedded(List.of());
                TestRedis replica = TestRedis.embedded(List.of("replicaof 127.0.0.1 " + masterPort(oldMaster)))) {
            // a Sentinel learns of replicas from the master's INFO, read at once and then every 10 s: start it in sync
            awaitTrue("the replica is in sync", Duration.ofSeconds(10), () -> replica.admin()
                    .info("replication")
                    .contains("master_link_status:up"));
            try (Sentinel own = Sentinel.start(dir.resolve("failover"), masterPort(oldMaster))) {
                awaitTrue(
                        "the sentinel sees the replica", Duration.ofSeconds(5), () -> own.replicasOnline(MASTER) == 1);
                try (RedisBucketStore first = store(own.uri(MASTER), prefix);
                        RedisBucketStore second = store(own.uri(MASTER), prefix)) {
                    for (int i = 0; i < 4; i++) {
                        assertThat(Consumption.isAllowed((i % 2 == 0 ? first : second).tryConsume(key, 1)))
                                .isTrue();
                    }
                    // the bucket reached the replica before the master goes
                    assertThat(oldMaster.admin().waitForReplication(1, 5000)).isEqualTo(1);

                    oldMaster.stop();
                    awaitTrue(
                            "the sentinel promotes the replica",
                            Duration.ofSeconds(15),
                            () -> own.masterPort(MASTER) == masterPort(replica));
                    // decisions resume on the new master (through the breaker's probe and Lettuce's reconnect)
                    for (RedisBucketStore store : List.of(first, second)) {
                        awaitTrue(
                                "the store decides again",
                                Duration.ofSeconds(10),
                                () -> !Consumption.isUnavailable(store.tryConsume(BucketKey.name(policy, "other"), 1))
                                        && store.breakerState() == BreakerState.CLOSED);
                    }
                    // the replicated bucket carries on: 4 taken before the failover, 6 left in total
                    int admitted = 0;
                    for (int i = 0; i < 8; i++) {
                        if (Consumption.isAllowed((i % 2 == 0 ? first : second).tryConsume(key, 1))) {
                            admitted++;
                        }
                    }
                    assertThat(admitted).isEqualTo(6);
                    assertThat(replica.admin().exists(first.redisKey(key))).isEqualTo(1);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static long clientsNamed(TestRedis redis, String name) {
        return redis.admin()
                .clientList()
                .lines()
                .filter(line -> line.contains(" name=" + name + " "))
                .count();
    }

    /** Polls every 50 ms until the condition holds; fails naming it after the deadline. */
    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** One embedded Sentinel monitoring a master on 127.0.0.1, with a config file of its own (Sentinel rewrites it). */
    private static final class Sentinel implements AutoCloseable {

        private final int port;
        private final RedisSentinel process;
        private final RedisClient client;

        private Sentinel(int port, RedisSentinel process) {
            this.port = port;
            this.process = process;
            this.client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
            this.client.setDefaultTimeout(Duration.ofSeconds(5));
        }

        static Sentinel start(Path work, int masterPort) {
            int port = TestRedis.freePort();
            try {
                Files.createDirectories(work);
                Path config = work.resolve("sentinel.conf");
                Files.write(
                        config,
                        List.of(
                                "port " + port,
                                "bind 127.0.0.1",
                                "dir " + work,
                                "sentinel announce-ip 127.0.0.1",
                                "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 1",
                                "sentinel down-after-milliseconds " + MASTER + " 500",
                                "sentinel failover-timeout " + MASTER + " 5000",
                                "sentinel parallel-syncs " + MASTER + " 1"));
                RedisSentinel process = RedisSentinel.newRedisSentinel()
                        .configFile(config.toString())
                        .port(port)
                        .build();
                process.start();
                return new Sentinel(port, process);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The store's URI: this Sentinel, database 0, and the master's name. */
        String uri(String masterName) {
            return "redis-sentinel://127.0.0.1:" + port + "/0#" + masterName;
        }

        int masterPort(String masterName) {
            try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
                SocketAddress address = connection.sync().getMasterAddrByName(masterName);
                return address instanceof InetSocketAddress inet ? inet.getPort() : -1;
            }
        }

        long replicasOnline(String masterName) {
            try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
                List<Map<String, String>> replicas = connection.sync().replicas(masterName);
                return replicas.stream()
                        .filter(replica -> !replica.getOrDefault("flags", "").contains("disconnected")
                                && !replica.getOrDefault("flags", "").contains("down"))
                        .count();
            }
        }

        @Override
        public void close() {
            try {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            } finally {
                try {
                    process.stop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
