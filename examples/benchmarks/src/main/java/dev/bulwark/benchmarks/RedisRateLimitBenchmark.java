package dev.bulwark.benchmarks;

import dev.bulwark.core.ratelimit.BucketKey;
import dev.bulwark.core.ratelimit.Consumption;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import dev.bulwark.core.ratelimit.redis.RedisStoreStats;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import redis.embedded.RedisServer;

/**
 * One distributed rate-limit decision per operation against a real Redis (6.2, started by {@link #setUp} on a free
 * loopback port): Bulwark's {@link RedisBucketStore} (one {@code EVALSHA} of a Lua script that refills and consumes
 * atomically) against bucket4j's {@link LettuceBasedProxyManager} (compare-and-swap: {@code GET}, then an {@code EVAL}
 * that writes only if the value is unchanged, retried on conflict), next to a raw Lettuce {@code GET} as the floor of
 * one round trip. Run it with {@code -t 1} and {@code -t 16} for 1 and 16 concurrent callers.
 *
 * <p>{@code keys=spread} picks one of 10 000 client keys at random per operation; {@code keys=hot} uses one key for
 * every caller (the case where compare-and-swap conflicts). Both stores hold the same policy, {@code
 * 100000000/hour}, so every decision is an allowed one that writes state. Every store uses one shared Lettuce
 * connection, as an application would.
 *
 * <p>At the end of each trial {@link #tearDown} prints one {@code [redis-benchmark]} line: decisions, round trips per
 * decision (commands each client sent, counted by a Lettuce {@code CommandListener}; the Lua store counts its own),
 * CAS retries (bucket4j's {@code EVAL}s beyond one per decision) and failed decisions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RedisRateLimitBenchmark {

    static final int SPREAD_KEYS = 10_000;
    static final String RATE = "100000000/hour";

    @Param({"spread", "hot"})
    public String keys;

    private RedisServer server;
    private RedisBucketStore lua;
    private RedisClient bucket4jClient;
    private StatefulRedisConnection<String, byte[]> bucket4jConnection;
    private RedisClient floorClient;
    private StatefulRedisConnection<String, String> floorConnection;
    private RedisCommands<String, String> floor;
    private final CommandCounter bucket4jCommands = new CommandCounter();
    private final CommandCounter floorCommands = new CommandCounter();
    private RedisStoreStats luaBaseline;

    private BucketKey[] luaKeys;
    private BucketProxy[] casBuckets;
    private String[] floorKeys;

    private final LongAdder decisions = new LongAdder();
    private final LongAdder casDecisions = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private String label = "test";

    /** Picks the key index per operation; one per thread, so no shared random state. */
    @State(Scope.Thread)
    public static class Picker {
        private final SplittableRandom random = new SplittableRandom();

        int next(int bound) {
            return bound == 1 ? 0 : random.nextInt(bound);
        }
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        label = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1) + " keys=" + keys
                + " threads=" + params.getThreads();
        setUp();
    }

    /** Starts Redis and the three clients; {@link RedisRateLimitBenchmarkTest} calls it directly. */
    public void setUp() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer()
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        String uri = "redis://127.0.0.1:" + port;

        RateLimitPolicy policy = RateLimitPolicy.scope("bench").rates(RATE).build();
        BucketConfiguration configuration = policy.bucketConfiguration();
        int count = "hot".equals(keys) ? 1 : SPREAD_KEYS;

        lua = RedisBucketStore.builder().uri(uri).build();
        luaKeys = new BucketKey[count];
        for (int i = 0; i < count; i++) {
            luaKeys[i] = BucketKey.name(policy, "client-" + i);
        }

        bucket4jClient = RedisClient.create(uri);
        bucket4jClient.addListener(bucket4jCommands);
        bucket4jConnection = bucket4jClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        LettuceBasedProxyManager<String> proxyManager = Bucket4jLettuce.casBasedBuilder(bucket4jConnection)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofHours(1)))
                .build();
        casBuckets = new BucketProxy[count];
        for (int i = 0; i < count; i++) {
            casBuckets[i] = proxyManager.builder().build("bucket4j:client-" + i, () -> configuration);
        }

        floorClient = RedisClient.create(uri);
        floorClient.addListener(floorCommands); // listeners attach to connections opened afterwards
        floorConnection = floorClient.connect();
        floor = floorConnection.sync();
        floorKeys = new String[count];
        for (int i = 0; i < count; i++) {
            floorKeys[i] = "floor:client-" + i;
            floor.set(floorKeys[i], "1");
        }

        // Warm each contender on a key of its own (class loading, the script cache, the JIT's first pass), then count
        // from zero: a cold JVM's first calls can exceed the 100 ms timeout, which is start-up, not steady state.
        BucketKey warmKey = BucketKey.name(policy, "warm-up");
        BucketProxy warmBucket = proxyManager.builder().build("bucket4j:warm-up", () -> configuration);
        for (int i = 0; i < 2000; i++) {
            lua.tryConsume(warmKey, 1);
            warmBucket.tryConsume(1);
            floor.get(floorKeys[0]);
        }
        luaBaseline = lua.stats();
        bucket4jCommands.reset();
        floorCommands.reset();
    }

    /** Counts the commands a client sends, by type: each is one round trip. */
    static final class CommandCounter implements CommandListener {
        final LongAdder get = new LongAdder();
        final LongAdder eval = new LongAdder();
        final LongAdder other = new LongAdder();

        void reset() {
            get.reset();
            eval.reset();
            other.reset();
        }

        @Override
        public void commandStarted(CommandStartedEvent event) {
            switch (event.getCommand().getType().toString()) {
                case "GET" -> get.increment();
                case "EVAL" -> eval.increment();
                default -> other.increment();
            }
        }
    }

    /** Bulwark: one {@code EVALSHA} per decision. */
    @Benchmark
    public long bulwarkLua(Picker picker) {
        long consumption = lua.tryConsume(luaKeys[picker.next(luaKeys.length)], 1);
        decisions.increment();
        if (!Consumption.isAllowed(consumption)) {
            failures.increment();
        }
        return consumption;
    }

    /** bucket4j: {@code GET}, then a compare-and-swap {@code EVAL}, both again on every conflict. */
    @Benchmark
    public boolean bucket4jCas(Picker picker) {
        decisions.increment();
        casDecisions.increment();
        try {
            boolean allowed = casBuckets[picker.next(casBuckets.length)].tryConsume(1);
            if (!allowed) {
                failures.increment();
            }
            return allowed;
        } catch (RuntimeException e) {
            failures.increment();
            return false;
        }
    }

    /** The floor: one plain {@code GET} round trip on the same kind of shared connection. */
    @Benchmark
    public String lettuceGet(Picker picker) {
        decisions.increment();
        return floor.get(floorKeys[picker.next(floorKeys.length)]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            System.out.println(summary());
        } finally {
            close();
        }
    }

    /** Returns the {@code [redis-benchmark]} line: round trips per decision, CAS retries, failures. */
    String summary() {
        long made = decisions.sum();
        RedisStoreStats stats = lua.stats();
        long scriptLoads = stats.scriptLoads() - luaBaseline.scriptLoads();
        long get = bucket4jCommands.get.sum() + floorCommands.get.sum();
        long eval = bucket4jCommands.eval.sum() + scriptLoads;
        long evalsha = stats.commands() - luaBaseline.commands() - scriptLoads;
        long commands = get + eval + evalsha + bucket4jCommands.other.sum() + floorCommands.other.sum();
        // every bucket4j decision here writes, with exactly one successful compare-and-swap: the rest failed
        long casRetries = Math.max(0, bucket4jCommands.eval.sum() - casDecisions.sum());
        return String.format(
                Locale.ROOT,
                "[redis-benchmark] %s: decisions=%d round-trips=%d (GET %d, EVAL %d, EVALSHA %d) per-decision=%.3f "
                        + "cas-retries=%d failed=%d store-fallbacks=%d",
                label,
                made,
                commands,
                get,
                eval,
                evalsha,
                made == 0 ? 0.0 : (double) commands / made,
                casRetries,
                failures.sum(),
                stats.fallbacks() - luaBaseline.fallbacks());
    }

    void close() throws IOException {
        try {
            lua.close();
            bucket4jConnection.close();
            bucket4jClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            floorConnection.close();
            floorClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            server.stop();
        }
    }
}
