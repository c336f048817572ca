package dev.bulwark.core.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bulwark.core.FakeTimeSource;
import dev.bulwark.core.ratelimit.BucketKey;
import dev.bulwark.core.ratelimit.BucketStore;
import dev.bulwark.core.ratelimit.Consumption;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis store against a real Redis (embedded-redis 6.2, or {@code BULWARK_TEST_REDIS_URL}): parity with the local
 * store, exact sharing between two "app nodes", TTLs, one round trip per decision, script reload, timeouts, the
 * breaker through an outage and a restart, and Cluster. Tests that stop Redis start their own embedded server.
 */
class RedisBucketStoreTest {

    private static TestRedis redis;
    private static final AtomicInteger TEST_IDS = new AtomicInteger();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** A key prefix of its own per store, so tests never see each other's keys (and never flush a shared Redis). */
    private static String prefix() {
        return "bulwark:test:" + ProcessHandle.current().pid() + ":" + TEST_IDS.incrementAndGet() + ":";
    }

    private static RedisBucketStore store(String uri, UnaryOperator<RedisBucketStore.Builder> options) {
        return options.apply(RedisBucketStore.builder().uri(uri).keyPrefix(prefix()))
                .build();
    }

    private static String describe(long consumption) {
        return Consumption.isAllowed(consumption)
                ? "allowed rate=" + Consumption.rateIndex(consumption) + " remaining="
                        + Consumption.remaining(consumption) + " reset=" + Consumption.resetSeconds(consumption)
                : "rejected rate=" + Consumption.rateIndex(consumption) + " retry-after="
                        + Consumption.resetSeconds(consumption);
    }

    // ---------------------------------------------------------------------------------------------------- semantics

    @Test
    void sameCallsGiveTheSameAnswersAsTheLocalStore() {
        FakeTimeSource time = new FakeTimeSource();
        List<RateLimitPolicy> policies = List.of(
                RateLimitPolicy.scope("single").rates("5/min").build(),
                RateLimitPolicy.scope("burst").rates("10/min;burst=20,100/hour").build(),
                RateLimitPolicy.scope("odd").rates("7/min,13/hour").cost(2).build());
        try (BucketStore local = BucketStore.local(1000, time);
                RedisBucketStore shared = store(
                        redis.uri(), b -> b.timeSource(time).clientTime(true).timeout(Duration.ofSeconds(2)))) {
            SplittableRandom random = new SplittableRandom(20261122);
            int allowed = 0;
            int rejected = 0;
            for (int step = 0; step < 600; step++) {
                RateLimitPolicy policy = policies.get(random.nextInt(policies.size()));
                BucketKey key = BucketKey.name(policy, "client-" + random.nextInt(3));
                long cost = random.nextInt(5) == 0 ? 1 + random.nextInt(3) : policy.cost();
                long expected = local.tryConsume(key, cost);
                long actual = shared.tryConsume(key, cost);
                assertThat(describe(actual))
                        .as("step %d: %s costing %d", step, key, cost)
                        .isEqualTo(describe(expected));
                // the local store waits in nanoseconds, Redis in milliseconds rounded up
                assertThat(Consumption.waitNanos(actual) - Consumption.waitNanos(expected))
                        .as("step %d wait", step)
                        .isBetween(0L, 1_000_000L);
                if (Consumption.isAllowed(actual)) {
                    allowed++;
                } else {
                    rejected++;
                }
                time.advance(Duration.ofMillis(random.nextInt(100) == 0 ? 7_200_000 : random.nextInt(3000)));
            }
            assertThat(allowed).isGreaterThan(100);
            assertThat(rejected).isGreaterThan(100);
            assertThat(shared.stats().fallbacks()).isZero();
        }
    }

    @Test
    void twoAppNodesSharingOneKeyAdmitExactlyTheCapacityUnderConcurrentLoad() throws Exception {
        String prefix = prefix();
        // each "node" has its own policy object, Lettuce client and connection: only Redis is shared
        RateLimitPolicy policyA =
                RateLimitPolicy.scope("shared").rates("100/hour").build();
        RateLimitPolicy policyB =
                RateLimitPolicy.scope("shared").rates("100/hour").build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (RedisBucketStore nodeA = RedisBucketStore.builder()
                        .uri(redis.uri())
                        .keyPrefix(prefix)
                        .timeout(Duration.ofSeconds(2))
                        .build();
                RedisBucketStore nodeB = RedisBucketStore.builder()
                        .uri(redis.uri())
                        .keyPrefix(prefix)
                        .timeout(Duration.ofSeconds(2))
                        .build()) {
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger admitted = new AtomicInteger();
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                RedisBucketStore node = t % 2 == 0 ? nodeA : nodeB;
                BucketKey key = BucketKey.name(t % 2 == 0 ? policyA : policyB, "hot");
                callers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 25; i++) {
                        if (Consumption.isAllowed(node.tryConsume(key, 1))) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> caller : callers) {
                caller.get(30, TimeUnit.SECONDS);
            }
            assertThat(admitted).hasValue(100);
            assertThat(nodeA.stats().fallbacks() + nodeB.stats().fallbacks()).isZero();
            assertThat(nodeA.stats().decisions() + nodeB.stats().decisions()).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysCarryATtlUntilTheBucketIsFullAgainAndThenVanish() throws Exception {
        RateLimitPolicy minute = RateLimitPolicy.scope("ttl").rates("60/min").build();
        RateLimitPolicy fast = RateLimitPolicy.scope("fast").rates("5/s").build();
        try (RedisBucketStore store = store(redis.uri(), UnaryOperator.identity())) {
            BucketKey key = BucketKey.name(minute, "alice");
            assertThat(store.redisKey(key)).isEqualTo(store.keyPrefix() + "ttl:name:alice");
            store.tryConsume(key, 1);
            // one token missing refills in 1 s
            assertThat(redis.admin().pttl(store.redisKey(key))).isBetween(800L, 1000L);
            for (int i = 0; i < 9; i++) {
                store.tryConsume(key, 1);
            }
            assertThat(redis.admin().pttl(store.redisKey(key))).isBetween(9_500L, 10_000L);

            BucketKey brief = BucketKey.name(fast, "bob");
            store.tryConsume(brief, 1);
            store.tryConsume(brief, 1);
            assertThat(redis.admin().pttl(store.redisKey(brief))).isBetween(300L, 400L);
            Thread.sleep(450);
            assertThat(redis.admin().exists(store.redisKey(brief))).isZero();
            // a key that expired was a full bucket: nothing was lost
            assertThat(Consumption.remaining(store.tryConsume(brief, 1))).isEqualTo(4);
        }
    }

    @Test
    void eachDecisionIsOneRoundTripAndTheScriptIsReloadedAfterAFlush() {
        RateLimitPolicy policy =
                RateLimitPolicy.scope("trips").rates("1000/day").build();
        try (RedisBucketStore store = store(redis.uri(), b -> b.timeout(Duration.ofSeconds(2)))) {
            store.tryConsume(BucketKey.name(policy, "warm-up"), 1);
            RedisStoreStats before = store.stats();
            long evalshaBefore = commandCalls("evalsha");
            for (int i = 0; i < 200; i++) {
                BucketKey key = BucketKey.name(policy, i % 2 == 0 ? "hot" : "client-" + i);
                assertThat(Consumption.isAllowed(store.tryConsume(key, 1))).isTrue();
            }
            RedisStoreStats after = store.stats();
            assertThat(after.decisions() - before.decisions()).isEqualTo(200);
            assertThat(after.commands() - before.commands()).isEqualTo(200);
            if (redis.isEmbedded()) {
                assertThat(commandCalls("evalsha") - evalshaBefore).isEqualTo(200);
            }

            redis.admin().scriptFlush();
            assertThat(Consumption.remaining(store.tryConsume(BucketKey.name(policy, "hot"), 1)))
                    .isEqualTo(1000 - 101);
            RedisStoreStats reloaded = store.stats();
            assertThat(reloaded.scriptLoads() - after.scriptLoads()).isEqualTo(1);
            assertThat(reloaded.commands() - after.commands()).isEqualTo(2);
            assertThat(reloaded.errors()).isZero();
        }
    }

    private static long commandCalls(String command) {
        for (String line : redis.admin().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String rest = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(rest.substring(0, rest.indexOf(',')));
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------- failures

    @Test
    void aSlowRedisTripsTheTimeoutRatherThanHanging() throws Exception {
        try {
            redis.admin().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8), debugSleep(0));
        } catch (RuntimeException e) {
            assumeTrue(false, "DEBUG is not allowed on this Redis: " + e.getMessage());
        }
        RateLimitPolicy policy = RateLimitPolicy.scope("slow").rates("10/min").build();
        BucketKey key = BucketKey.name(policy, "alice");
        try (RedisBucketStore store = store(redis.uri(), b -> b.timeout(Duration.ofMillis(100)));
                RedisClient sleeper = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> connection = sleeper.connect()) {
            assertThat(Consumption.remaining(store.tryConsume(key, 1))).isEqualTo(9);
            CompletableFuture<String> sleeping = connection
                    .async()
                    .dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8), debugSleep(1))
                    .toCompletableFuture();
            Thread.sleep(100); // Redis is now busy for about 0.9 s
            long start = System.nanoTime();
            long consumption = store.tryConsume(key, 1);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMillis).isBetween(90L, 300L);
            assertThat(Consumption.isAllowed(consumption)).isTrue(); // failure mode open
            assertThat(store.stats().timeouts()).isEqualTo(1);
            assertThat(store.breakerState()).isEqualTo(BreakerState.CLOSED);
            sleeping.get(5, TimeUnit.SECONDS);
            // the timed-out call may or may not have consumed once Redis woke up; the store keeps working
            assertThat(Consumption.remaining(store.tryConsume(key, 1))).isBetween(7L, 8L);
        }
    }

    private static CommandArgs<String, String> debugSleep(int seconds) {
        return new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(seconds);
    }

    @Test
    void anOutageOpensTheBreakerAndARestartClosesItWithinFiveSeconds() throws Exception {
        RateLimitPolicy policy =
                RateLimitPolicy.scope("outage").rates("1000/hour").build();
        BucketKey key = BucketKey.name(policy, "alice");
        try (TestRedis own = TestRedis.embedded(List.of());
                RedisBucketStore store = store(own.uri(), UnaryOperator.identity())) {
            assertThat(Consumption.remaining(store.tryConsume(key, 1))).isEqualTo(999);
            own.stop();

            // fail open: every decision answers within the timeout, until the breaker opens after 5 failures
            long worstMillis = 0;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThat(Consumption.isAllowed(store.tryConsume(key, 1))).isTrue();
                worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            assertThat(worstMillis).isLessThanOrEqualTo(250);
            assertThat(store.breakerState()).isEqualTo(BreakerState.OPEN);
            assertThat(store.stats().breakerOpened()).isEqualTo(1);

            // open: no call to Redis at all, no added latency
            long commands = store.stats().commands();
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                assertThat(Consumption.isAllowed(store.tryConsume(key, 1))).isTrue();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(200);
            assertThat(store.stats().commands()).isEqualTo(commands);

            own.restart();
            long restarted = System.nanoTime();
            long decisions = store.stats().decisions();
            while (store.stats().decisions() == decisions
                    && System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(8)) {
                store.tryConsume(key, 1);
                Thread.sleep(20);
            }
            long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
            assertThat(resumedMillis).isLessThan(5000);
            assertThat(store.breakerState()).isEqualTo(BreakerState.CLOSED);
            assertThat(store.stats().breakerClosed()).isEqualTo(1);
            // the restarted Redis is empty: the bucket starts again, shared from here on
            assertThat(Consumption.remaining(store.tryConsume(key, 1))).isBetween(990L, 998L);
        }
    }

    @Test
    void startsWhileRedisIsDownAndConnectsOnceItIsUp() throws Exception {
        int port = TestRedis.freePort();
        RateLimitPolicy policy = RateLimitPolicy.scope("late").rates("10/min").build();
        BucketKey key = BucketKey.name(policy, "alice");
        long start = System.nanoTime();
        try (RedisBucketStore store = store("redis://127.0.0.1:" + port, b -> b.coolDown(Duration.ofMillis(200))
                .failureMode(FailureMode.LOCAL))) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
            assertThat(store.breakerState()).isEqualTo(BreakerState.OPEN);
            assertThat(store.ping(Duration.ofMillis(100)))
                    .isEqualTo(new RedisPing(false, Duration.ZERO, "not connected"));
            assertThat(Consumption.remaining(store.tryConsume(key, 1))).isEqualTo(9); // the local fallback
            try (TestRedis late = TestRedis.embeddedOn(port, List.of())) {
                long up = System.nanoTime();
                while (store.stats().decisions() == 0 && System.nanoTime() - up < TimeUnit.SECONDS.toNanos(5)) {
                    store.tryConsume(key, 1);
                    Thread.sleep(20);
                }
                assertThat(store.stats().decisions()).isEqualTo(1);
                assertThat(store.breakerState()).isEqualTo(BreakerState.CLOSED);
                assertThat(store.ping(Duration.ofSeconds(1)).up()).isTrue();
                assertThat(late.admin().exists(store.redisKey(key))).isEqualTo(1);
            }
        }
    }

    @Test
    void failureModesAnswerWithoutRedis() {
        int port = TestRedis.freePort();
        String nowhere = "redis://127.0.0.1:" + port;
        RateLimitPolicy policy =
                RateLimitPolicy.scope("down").rates("3/min,100/hour").build();
        BucketKey key = BucketKey.name(policy, "alice");
        try (RedisBucketStore open = store(nowhere, UnaryOperator.identity());
                RedisBucketStore closed = store(nowhere, b -> b.failureMode(FailureMode.CLOSED));
                RedisBucketStore local = store(nowhere, b -> b.failureMode(FailureMode.LOCAL))) {
            // open: as if the bucket were new
            assertThat(describe(open.tryConsume(key, 1))).isEqualTo("allowed rate=0 remaining=2 reset=20");
            assertThat(open.stats().fallbacks()).isEqualTo(1);
            // closed: the store could not decide; retry once the breaker may probe again
            long refused = closed.tryConsume(key, 1);
            assertThat(Consumption.isUnavailable(refused)).isTrue();
            assertThat(Consumption.waitNanos(refused)).isBetween(1_000_000_000L, 2_000_000_000L);
            // local: the same limits, in memory
            for (int i = 0; i < 3; i++) {
                assertThat(Consumption.isAllowed(local.tryConsume(key, 1))).isTrue();
            }
            assertThat(Consumption.isAllowed(local.tryConsume(key, 1))).isFalse();
            assertThat(local.trackedKeys()).isEqualTo(1);
        }
    }

    @Test
    void pingAnswersPongWithItsLatency() {
        try (RedisBucketStore store = store(redis.uri(), UnaryOperator.identity())) {
            RedisPing ping = store.ping(Duration.ofSeconds(1));
            assertThat(ping.up()).isTrue();
            assertThat(ping.detail()).isEqualTo("PONG");
            assertThat(ping.latency()).isPositive().isLessThan(Duration.ofSeconds(1));
            store.close();
            assertThat(store.ping(Duration.ofSeconds(1)).detail()).isEqualTo("store closed");
        }
    }

    // ---------------------------------------------------------------------------------------------------- clients

    @Test
    void anApplicationClientOrConnectionIsUsedAndLeftOpen() {
        RateLimitPolicy policy = RateLimitPolicy.scope("reuse").rates("10/min").build();
        RedisClient app = RedisClient.create(redis.uri());
        try {
            String prefix = prefix();
            try (RedisBucketStore store =
                    RedisBucketStore.builder().client(app).keyPrefix(prefix).build()) {
                assertThat(Consumption.remaining(store.tryConsume(BucketKey.name(policy, "a"), 1)))
                        .isEqualTo(9);
                assertThat(store.toString()).contains("application client RedisClient");
            }
            try (StatefulRedisConnection<String, String> connection = app.connect()) {
                try (RedisBucketStore store = RedisBucketStore.builder()
                        .connection(connection)
                        .keyPrefix(prefix)
                        .build()) {
                    assertThat(Consumption.remaining(store.tryConsume(BucketKey.name(policy, "a"), 1)))
                            .isEqualTo(8);
                }
                assertThat(connection.isOpen()).isTrue();
                assertThat(connection.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            app.shutdown();
        }
    }

    @Test
    void worksOnRedisCluster() throws Exception {
        Path dir = Files.createTempDirectory("bulwark-cluster");
        int port = TestRedis.freePort();
        try (TestRedis node = TestRedis.embeddedOn(
                port,
                List.of(
                        "cluster-enabled yes",
                        "cluster-announce-ip 127.0.0.1",
                        "cluster-config-file " + dir.resolve("nodes.conf"),
                        "dir " + dir))) {
            int[] slots = new int[16384];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = i;
            }
            node.admin().clusterAddSlots(slots);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!node.admin().clusterInfo().contains("cluster_state:ok") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            RateLimitPolicy policy =
                    RateLimitPolicy.scope("cluster").rates("3/min").build();
            try (RedisBucketStore store = RedisBucketStore.builder()
                    .clusterNodes(List.of(node.uri()))
                    .keyPrefix(prefix())
                    .timeout(Duration.ofSeconds(1))
                    .build()) {
                AtomicLong admitted = new AtomicLong();
                for (int i = 0; i < 5; i++) {
                    if (Consumption.isAllowed(store.tryConsume(BucketKey.name(policy, "alice"), 1))) {
                        admitted.incrementAndGet();
                    }
                }
                assertThat(admitted).hasValue(3);
                assertThat(store.stats().fallbacks()).isZero();
                assertThat(store.ping(Duration.ofSeconds(1)).up()).isTrue();
            }
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(file -> file.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
