package dev.bulwark.core.ratelimit.redis;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.internal.Checks;
import dev.bulwark.core.ratelimit.BucketKey;
import dev.bulwark.core.ratelimit.BucketStore;
import dev.bulwark.core.ratelimit.Consumption;
import dev.bulwark.core.ratelimit.Rate;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BucketStore} in Redis, through Lettuce: every instance of an application that points at the same Redis
 * enforces one shared limit, with the same policies, token counts and headers as the in-memory store.
 *
 * <p>Safe for concurrent use; builders are not thread-safe. All request threads share one multiplexed Lettuce
 * connection. Lettuce is an optional dependency of {@code bulwark-core}: applications that use this store add
 * {@code io.lettuce:lettuce-core} (6.6 or newer).
 *
 * <pre>{@code
 * RedisBucketStore store = RedisBucketStore.builder()
 *     .uri("redis://:secret@redis.internal:6379/0")     // rediss:// for TLS, redis-sentinel://, or cluster nodes
 *     .failureMode(FailureMode.OPEN)                     // or CLOSED (503) or LOCAL (in-memory fallback)
 *     .build();
 * RateLimiter limiter = RateLimiter.builder().anonymous("1000/hour").store(store).build();
 * }</pre>
 *
 * <p><b>One round trip per decision.</b> Each decision is one {@code EVALSHA} of a Lua script that refills and consumes
 * every rate of the policy atomically inside Redis and writes the bucket back with {@code SET … PX}; the script is sent
 * in full ({@code EVAL}) only when a Redis node answers {@code NOSCRIPT} (first use, or after a restart). There is no
 * read-modify-write race and so no retry: unlike bucket4j's compare-and-swap proxy managers, a hot key costs the same as
 * any other. Each bucket is one string key, {@code <keyPrefix><policy>:<ip|name>:<value>}, so every call touches one
 * key and works on Redis Cluster as is.
 *
 * <p><b>Time</b> is the Redis server's clock ({@code TIME} inside the script), in milliseconds: every application
 * instance sees the same clock whatever its own skew, and a key's TTL is measured on the clock that expires it. (Redis
 * 5 and later replicate a script's effects, not the script; on older servers the script opts in with
 * {@code redis.replicate_commands()}.)
 *
 * <p><b>Memory.</b> Each key expires ({@code PX}) when its bucket would be full again: a full bucket is the same as a
 * new one, so expiry loses nothing, and Redis holds only clients active within their window.
 *
 * <p><b>Failures.</b> Each call waits at most {@link Builder#timeout(Duration) the timeout} (default 100 ms); a timeout,
 * a lost connection or an error is answered by the {@link FailureMode} (default {@link FailureMode#OPEN}) and counted.
 * After {@link Builder#failureThreshold(int) 5} consecutive failures a circuit breaker stops calling Redis for {@link
 * Builder#coolDown(Duration) a cool-down} (default 2 s), so an outage adds no latency; then it probes Redis in the
 * background (one script call on a key of its own, or a new connection; no request waits for it) and, on success,
 * sharing resumes by itself. Opening and closing are logged once each (WARN, INFO), never per request,
 * and counted in {@link #stats()} (published by {@code dev.bulwark.core.metrics.RedisStoreMetrics}). The store starts
 * even when Redis is unreachable, in the failure mode, and connects once Redis is there.
 *
 * <p><b>Clients.</b> From URIs the store creates and owns its Lettuce client, tuned for a rate limiter: commands are
 * rejected at once while disconnected (rather than queued), reconnection is retried at least every second, Cluster
 * topology refreshes on redirects; over TLS ({@code rediss://}) it trusts the JVM's default trust store unless given
 * {@link Builder#sslOptions(SslOptions) TLS options}. Given an application's {@link RedisClient}/{@link
 * RedisClusterClient} it opens one connection of its own on it; given a connection it uses it as is. {@link #close()}
 * releases only what the store created.
 */
public final class RedisBucketStore implements BucketStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBucketStore.class);

    /** The default key prefix: {@code bulwark:rl:}. */
    public static final String DEFAULT_KEY_PREFIX = "bulwark:rl:";

    /** The default timeout of one decision's call: 100 ms. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);

    /** The default timeout of establishing the connection: 1 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** The default number of consecutive failures that opens the circuit breaker: 5. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;

    /** The default time the circuit breaker stays open before probing: 2 s. */
    public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(2);

    private static final long MAX_EXACT = 1L << 53;

    /** The key the breaker's probe runs the script on: a policy of its own, so it never touches a client's bucket. */
    private static final BucketKey PROBE_KEY = BucketKey.name(
            RateLimitPolicy.scope("bulwark-probe").rates("1000/s").build(), "probe");

    private static final Plan PROBE_PLAN = new Plan(PROBE_KEY.policy());
    private static final String CLIENT_NAME = "bulwark-rate-limit";

    private final Connector connector;
    private final String target;
    private final String keyPrefix;
    private final long timeoutNanos;
    private final Duration timeout;
    private final long probeTimeoutMillis;
    private final FailureMode failureMode;
    private final int failureThreshold;
    private final Duration coolDown;
    private final @Nullable BucketStore local;
    private final CircuitBreaker breaker;
    private final TimeSource time;
    private final boolean clientTime;
    private final ConcurrentMap<RateLimitPolicy, Plan> plans = new ConcurrentHashMap<>();

    private volatile @Nullable Session session;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean scriptErrorLogged;

    private final LongAdder commands = new LongAdder();
    private final LongAdder decisions = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder scriptLoads = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();

    private RedisBucketStore(Builder b, Connector connector, String target) {
        this.connector = connector;
        this.target = target;
        this.keyPrefix = b.keyPrefix;
        this.timeout = b.timeout;
        this.timeoutNanos = b.timeout.toNanos();
        this.probeTimeoutMillis = Math.max(b.timeout.toMillis(), b.connectTimeout.toMillis());
        this.failureMode = b.failureMode;
        this.failureThreshold = b.failureThreshold;
        this.coolDown = b.coolDown;
        this.time = b.timeSource;
        this.clientTime = b.clientTime;
        this.local = b.failureMode != FailureMode.LOCAL
                ? null
                : b.localFallback != null ? b.localFallback : BucketStore.local(b.localMaxTrackedKeys, b.timeSource);
        long coolDownNanos = b.coolDown.toNanos();
        this.breaker = new CircuitBreaker(
                b.failureThreshold,
                coolDownNanos,
                coolDownNanos + 2 * b.connectTimeout.toNanos() + timeoutNanos,
                b.timeSource,
                target,
                b.failureMode);
    }

    /** Returns a builder; one of {@link Builder#uri}, {@link Builder#client} or {@link Builder#connection} is required. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------- decisions

    /**
     * Consumes {@code cost} tokens from the key's bucket in Redis, in one round trip; when Redis does not answer in
     * time, is unreachable or the breaker is open, answers according to the {@link FailureMode}. Blocks the calling
     * thread for at most the timeout; never throws for a Redis failure.
     */
    @Override
    public long tryConsume(BucketKey key, long cost) {
        requireNonNull(key, "key");
        Plan plan = plan(key.policy());
        CircuitBreaker.Permit permit = closed ? CircuitBreaker.Permit.REJECT : breaker.acquire();
        if (permit == CircuitBreaker.Permit.REJECT) {
            return fallback(key, cost, plan);
        }
        Session current = session;
        if (permit == CircuitBreaker.Permit.PROBE) {
            // the probe runs in the background: no request waits for a Redis that may still be gone
            if (current == null) {
                connectAsync(true);
            } else {
                probeAsync(current);
            }
            return fallback(key, cost, plan);
        }
        if (current == null) {
            if (!connecting.get()) {
                breaker.onFailure(permit, new IllegalStateException("not connected"));
            }
            // else: the first connection is still being established (a slow start-up), not a failure
            return fallback(key, cost, plan);
        }
        String[] keys = {keyPrefix + key.text()};
        String[] args = plan.args(cost, clientTime ? Long.toString(time.nanoTime() / 1_000_000L) : null);
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            List<Object> reply = call(current, keys, args, deadline);
            long consumption = plan.decode(reply, cost);
            decisions.increment();
            breaker.onSuccess(permit);
            return consumption;
        } catch (TimeoutException e) {
            timeouts.increment();
            LOG.debug("Redis rate-limit store at {}: no answer within {} ms", target, timeout.toMillis());
            breaker.onFailure(permit, new TimeoutException("no answer within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            // not Redis's fault: answer by the failure mode without counting a failure
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            errors.increment();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            logFailure(cause);
            breaker.onFailure(permit, cause);
        }
        return fallback(key, cost, plan);
    }

    private List<Object> call(Session current, String[] keys, String[] args, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        commands.increment();
        RedisFuture<List<Object>> sent =
                current.scripting.evalsha(BucketScript.SHA1, ScriptOutputType.MULTI, keys, args);
        try {
            return await(sent, deadline);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw e;
            }
        }
        // this node has not seen the script (first use, restart, failover): send it in full, which also caches it
        scriptLoads.increment();
        commands.increment();
        return await(current.scripting.eval(BucketScript.TEXT, ScriptOutputType.MULTI, keys, args), deadline);
    }

    /**
     * Runs the script once on the probe key, asynchronously, and reports the outcome to the breaker. The probe may take
     * up to the larger of the timeout and the connect timeout: it delays no request, and a loaded Redis that answers
     * slowly should still be found alive.
     */
    private void probeAsync(Session current) {
        String[] keys = {keyPrefix + PROBE_KEY.text()};
        String[] args = PROBE_PLAN.args(1, clientTime ? Long.toString(time.nanoTime() / 1_000_000L) : null);
        CompletableFuture<List<Object>> attempt;
        try {
            commands.increment();
            attempt = current.scripting
                    .<List<Object>>evalsha(BucketScript.SHA1, ScriptOutputType.MULTI, keys, args)
                    .toCompletableFuture()
                    .exceptionallyCompose(failure -> {
                        Throwable cause = unwrap(failure);
                        if (!(cause instanceof RedisNoScriptException)) {
                            return CompletableFuture.failedFuture(cause);
                        }
                        scriptLoads.increment();
                        commands.increment();
                        return current.scripting
                                .<List<Object>>eval(BucketScript.TEXT, ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture();
                    });
        } catch (RuntimeException e) {
            breaker.onFailure(CircuitBreaker.Permit.PROBE, e);
            return;
        }
        attempt.orTimeout(probeTimeoutMillis, TimeUnit.MILLISECONDS).whenComplete((reply, failure) -> {
            if (failure == null) {
                breaker.onSuccess(CircuitBreaker.Permit.PROBE);
            } else {
                breaker.onFailure(CircuitBreaker.Permit.PROBE, unwrap(failure));
            }
        });
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static <T> T await(RedisFuture<T> future, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw e;
        }
    }

    private long fallback(BucketKey key, long cost, Plan plan) {
        fallbacks.increment();
        return switch (failureMode) {
            case OPEN -> plan.fresh(cost);
            case CLOSED -> Consumption.unavailable(breaker.retryAfterNanos());
            case LOCAL -> requireNonNull(local).tryConsume(key, cost);
        };
    }

    private void logFailure(Throwable cause) {
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException && !scriptErrorLogged) {
            // Redis answered with an error: not an outage but a misconfiguration (a foreign value under our key, a
            // Redis that forbids scripts, ACLs): say so once at WARN
            scriptErrorLogged = true;
            LOG.warn(
                    "Redis rate-limit store at {}: Redis refused the rate-limit script: {} (logged once; "
                            + "decisions follow failure mode '{}')",
                    target,
                    cause.getMessage(),
                    failureMode);
        } else {
            LOG.debug("Redis rate-limit store at {}: call failed", target, cause);
        }
    }

    private Plan plan(RateLimitPolicy policy) {
        Plan plan = plans.get(policy);
        return plan != null ? plan : plans.computeIfAbsent(policy, Plan::new);
    }

    // ---------------------------------------------------------------------------------------------------- connection

    private CompletableFuture<Session> connectAsync(boolean probe) {
        if (!connecting.compareAndSet(false, true)) {
            if (probe) {
                breaker.onFailure(CircuitBreaker.Permit.PROBE, new IllegalStateException("still connecting"));
            }
            return CompletableFuture.failedFuture(new IllegalStateException("still connecting"));
        }
        CompletableFuture<Session> attempt;
        try {
            attempt = connector.connect();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.whenComplete((connected, failure) -> {
            connecting.set(false);
            if (connected != null) {
                adopt(connected);
                if (probe) {
                    breaker.onSuccess(CircuitBreaker.Permit.PROBE);
                }
            } else if (probe) {
                breaker.onFailure(CircuitBreaker.Permit.PROBE, unwrap(failure));
            }
        });
    }

    private synchronized void adopt(Session connected) {
        if (closed) {
            connected.close();
            return;
        }
        Session previous = session;
        session = connected;
        if (previous != null && previous != connected) {
            previous.close();
        }
    }

    /**
     * Connects, waiting at most the connect timeout plus 2 s (a cold JVM loads Netty and Lettuce on the first
     * connection). A refused or failed connection opens the breaker, so probes retry it; one still pending after the
     * wait is not a failure: decisions follow the failure mode until it completes.
     */
    private void connectAtStartup(Duration connectTimeout) {
        CompletableFuture<Session> attempt = connectAsync(false).whenComplete((connected, failure) -> {
            if (failure != null) {
                breaker.openAtStartup(unwrap(failure));
            }
        });
        long waitMillis = connectTimeout.toMillis() + 2000;
        try {
            attempt.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by the callback above
        } catch (TimeoutException e) {
            LOG.info(
                    "Redis rate-limit store at {}: still connecting after {} ms; decisions follow failure mode '{}' "
                            + "until connected",
                    target,
                    waitMillis,
                    failureMode);
        }
    }

    /**
     * Sends {@code PING} and waits for the answer, for health checks. Independent of the circuit breaker: a failed
     * ping neither opens it nor counts. Never throws for a Redis failure.
     *
     * @param timeout how long to wait for {@code PONG}
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public RedisPing ping(Duration timeout) {
        requireNonNull(timeout, "timeout");
        Checks.requireArgument(
                !timeout.isNegative() && !timeout.isZero(), "ping timeout must be positive: %s", timeout);
        Session current = session;
        if (closed || current == null) {
            return new RedisPing(false, Duration.ZERO, closed ? "store closed" : "not connected");
        }
        long start = System.nanoTime();
        RedisFuture<String> pong;
        try {
            pong = current.base.ping();
        } catch (RuntimeException e) {
            return new RedisPing(false, since(start), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            String answer = pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new RedisPing("PONG".equalsIgnoreCase(answer), since(start), String.valueOf(answer));
        } catch (TimeoutException e) {
            pong.cancel(false);
            return new RedisPing(false, since(start), "timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RedisPing(false, since(start), "interrupted");
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new RedisPing(false, since(start), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    // ---------------------------------------------------------------------------------------------------- accessors

    /**
     * Returns the Redis key holding a bucket: the prefix followed by {@link BucketKey#text()}, for example {@code
     * bulwark:rl:anon:ip:203.0.113.7}.
     */
    public String redisKey(BucketKey key) {
        return keyPrefix + requireNonNull(key, "key").text();
    }

    /** Returns the key prefix. Default {@value #DEFAULT_KEY_PREFIX}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Returns the timeout of one decision's call. Default 100 ms. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns what decisions do when Redis cannot answer. Default {@link FailureMode#OPEN}. */
    public FailureMode failureMode() {
        return failureMode;
    }

    /** Returns how many consecutive failed calls open the circuit breaker. Default 5. */
    public int failureThreshold() {
        return failureThreshold;
    }

    /** Returns how long the open breaker waits before probing Redis. Default 2 s. */
    public Duration coolDown() {
        return coolDown;
    }

    /** Returns the circuit breaker's current state. */
    public BreakerState breakerState() {
        return breaker.state();
    }

    /** Returns a snapshot of the store's counters. */
    public RedisStoreStats stats() {
        return new RedisStoreStats(
                breaker.state(),
                commands.sum(),
                decisions.sum(),
                errors.sum(),
                timeouts.sum(),
                scriptLoads.sum(),
                fallbacks.sum(),
                breaker.opened(),
                breaker.probes(),
                breaker.probeFailures(),
                breaker.closed());
    }

    /**
     * Returns the buckets held in memory by the {@link FailureMode#LOCAL local} fallback; 0 otherwise. Keys in Redis
     * are not counted here (each expires by itself; Redis's {@code INFO keyspace} counts them).
     */
    @Override
    public long trackedKeys() {
        return local == null ? 0 : local.trackedKeys();
    }

    /** Returns the forced evictions of the {@link FailureMode#LOCAL local} fallback; 0 otherwise. */
    @Override
    public long forcedEvictions() {
        return local == null ? 0 : local.forcedEvictions();
    }

    /** Closes the connection, client and resources the store created, and the local fallback. Idempotent. */
    @Override
    public void close() {
        Session current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = session;
            session = null;
        }
        try {
            if (current != null) {
                current.close();
            }
            connector.close();
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    @Override
    public String toString() {
        return "RedisBucketStore[" + target + ", prefix=" + keyPrefix + ", timeout=" + timeout.toMillis()
                + "ms, failure-mode=" + failureMode + "]";
    }

    // ---------------------------------------------------------------------------------------------------- per policy

    /**
     * A policy's script arguments and the numbers needed to turn the script's token counts into a {@link Consumption}
     * exactly as the local store does.
     */
    private static final class Plan {
        private final int rates;
        private final long policyCost;
        private final long[] capacity;
        private final long[] nanosPerToken;
        /** ARGV with the server clock and the policy's cost; shared, never modified (Lettuce copies the values). */
        private final String[] args;

        Plan(RateLimitPolicy policy) {
            List<Rate> list = policy.rates();
            rates = list.size();
            policyCost = policy.cost();
            capacity = new long[rates];
            nanosPerToken = new long[rates];
            args = new String[3 + 3 * rates];
            args[0] = "";
            args[1] = Long.toString(policyCost);
            args[2] = Integer.toString(rates);
            for (int i = 0; i < rates; i++) {
                Rate rate = list.get(i);
                long periodMillis = rate.window().toMillis();
                capacity[i] = rate.capacity();
                nanosPerToken[i] = -Math.floorDiv(-rate.window().toNanos(), rate.count());
                args[3 + 3 * i] = Long.toString(rate.capacity());
                args[4 + 3 * i] = Long.toString(rate.count());
                args[5 + 3 * i] = Long.toString(periodMillis);
                if (saturatedMultiply(Math.max(rate.count(), rate.capacity()), periodMillis) >= MAX_EXACT) {
                    LOG.warn(
                            "rate {} of policy '{}' exceeds the exact range of the Redis store's arithmetic "
                                    + "(tokens × window in ms ≥ 2^53): token counts may be off by one at an instant "
                                    + "of refill",
                            rate,
                            policy.name());
                }
            }
        }

        String[] args(long cost, @Nullable String nowMillis) {
            if (nowMillis == null && cost == policyCost) {
                return args;
            }
            String[] copy = args.clone();
            if (nowMillis != null) {
                copy[0] = nowMillis;
            }
            copy[1] = Long.toString(cost);
            return copy;
        }

        long decode(List<Object> reply, long cost) {
            if (reply.size() < 1 + rates) {
                throw new IllegalStateException("unexpected reply from the rate-limit script: " + reply);
            }
            if (number(reply, 0) == 1) {
                int binding = 0;
                long remaining = number(reply, 1);
                for (int i = 1; i < rates; i++) {
                    long size = number(reply, i + 1);
                    if (size < remaining) {
                        remaining = size;
                        binding = i;
                    }
                }
                return allowed(binding, remaining);
            }
            long waitMillis = number(reply, 1);
            int binding = 0;
            long longest = -1;
            for (int i = 0; i < rates; i++) {
                long rateWait = saturatedMultiply(Math.max(0, cost - number(reply, i + 2)), nanosPerToken[i]);
                if (rateWait > longest) {
                    longest = rateWait;
                    binding = i;
                }
            }
            return Consumption.rejected(binding, saturatedMultiply(waitMillis, 1_000_000L));
        }

        /** The answer of a new bucket, for failing open: as if the client had not been seen before. */
        long fresh(long cost) {
            int binding = 0;
            long remaining = capacity[0] - cost;
            for (int i = 1; i < rates; i++) {
                if (capacity[i] - cost < remaining) {
                    remaining = capacity[i] - cost;
                    binding = i;
                }
            }
            return allowed(binding, remaining);
        }

        private long allowed(int binding, long remaining) {
            long resetNanos = saturatedMultiply(capacity[binding] - remaining, nanosPerToken[binding]);
            return Consumption.allowed(binding, remaining, ceilSeconds(resetNanos));
        }

        private static long number(List<Object> reply, int index) {
            return ((Number) reply.get(index)).longValue();
        }
    }

    private static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000_000L + 1;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    // ---------------------------------------------------------------------------------------------------- builder

    /**
     * Builds a {@link RedisBucketStore}. Not thread-safe. Exactly one source is required: {@link #uri(String)}, {@link
     * #client(AbstractRedisClient)} or a {@code connection(…)}. {@link #build()} connects (waiting at most the connect
     * timeout); it does not fail when Redis is unreachable.
     */
    public static final class Builder {

        private final List<String> uris = new ArrayList<>();
        private boolean cluster;
        private @Nullable AbstractRedisClient client;
        private @Nullable Session connection;
        private @Nullable SslOptions sslOptions;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private FailureMode failureMode = FailureMode.OPEN;
        private @Nullable BucketStore localFallback;
        private long localMaxTrackedKeys = RateLimiter.DEFAULT_MAX_TRACKED_KEYS;
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private Duration coolDown = DEFAULT_COOL_DOWN;
        private TimeSource timeSource = TimeSource.system();
        private boolean clientTime;

        private Builder() {}

        /**
         * Sets where Redis is, replacing earlier URIs:
         *
         * <ul>
         *   <li>{@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://…} for TLS (see {@link
         *       #sslOptions(SslOptions)});
         *   <li>{@code redis-sentinel://[[user]:password@]host[:port][,host2[:port2]…][/database]#masterId} (the
         *       sentinels, comma-separated, and the master's name);
         *   <li>several {@code redis://} or {@code rediss://} URIs separated by commas: Redis Cluster seed nodes (for a
         *       single seed, add {@link #cluster(boolean) cluster(true)}).
         * </ul>
         *
         * <p>The store creates and owns a Lettuce client for it.
         *
         * @throws IllegalArgumentException naming the URI (its password masked) when it is not one of these
         */
        public Builder uri(String uri) {
            requireNonNull(uri, "uri");
            List<String> parts = RedisUris.split(uri);
            for (String part : parts) {
                Checks.requireArgument(!part.isEmpty(), "redis uri must not be empty: '%s'", RedisUris.mask(uri));
                RedisUris.parse(part, parts.size() > 1);
            }
            uris.clear();
            uris.addAll(parts);
            return this;
        }

        /**
         * Sets Redis Cluster seed nodes, {@code redis://} or {@code rediss://} URIs, replacing earlier URIs.
         *
         * @throws IllegalArgumentException if the list is empty or a node is not such a URI
         */
        public Builder clusterNodes(Collection<String> nodes) {
            requireNonNull(nodes, "nodes");
            Checks.requireArgument(!nodes.isEmpty(), "redis cluster needs at least one node");
            List<String> parsed = new ArrayList<>();
            for (String node : nodes) {
                RedisUris.parse(requireNonNull(node, "nodes element").strip(), true);
                parsed.add(node.strip());
            }
            uris.clear();
            uris.addAll(parsed);
            cluster = true;
            return this;
        }

        /** Sets whether the URIs name Redis Cluster nodes. Default: only when several URIs are given. */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * Uses the application's Lettuce client (a {@link RedisClient} with a default URI, or a {@link
         * RedisClusterClient}): the store opens one connection of its own on it, with the client's options, and
         * closes only that connection. A client the store did not create keeps its own reconnect and
         * disconnected-command settings, so an outage may cost up to the timeout per call until the breaker opens.
         */
        public Builder client(AbstractRedisClient client) {
            requireNonNull(client, "client");
            Checks.requireArgument(
                    client instanceof RedisClient || client instanceof RedisClusterClient,
                    "redis client must be a RedisClient or a RedisClusterClient: %s",
                    client.getClass().getName());
            this.client = client;
            return this;
        }

        /**
         * Sets the TLS options of the client the store creates for {@code rediss://} URIs: for example, to trust a
         * private certificate authority, {@code SslOptions.builder().trustManager(new File("ca.pem")).build()}, or to
         * present a client certificate ({@code keyManager(…)}). Default: Lettuce's, which trust the JVM's default trust
         * store. For {@link #uri(String)} and {@link #clusterNodes(Collection)} only: an application's client or
         * connection keeps its own options.
         */
        public Builder sslOptions(SslOptions sslOptions) {
            this.sslOptions = requireNonNull(sslOptions, "sslOptions");
            return this;
        }

        /** Uses an open connection with {@code String} keys and values, as is; the store never closes it. */
        public Builder connection(StatefulRedisConnection<String, String> connection) {
            this.connection = Session.of(requireNonNull(connection, "connection"), false);
            return this;
        }

        /** Uses an open Cluster connection with {@code String} keys and values, as is; the store never closes it. */
        public Builder connection(StatefulRedisClusterConnection<String, String> connection) {
            this.connection = Session.of(requireNonNull(connection, "connection"), false);
            return this;
        }

        /**
         * Sets the prefix of every key, to share a Redis with other data or separate applications. Default
         * {@value RedisBucketStore#DEFAULT_KEY_PREFIX}.
         *
         * @throws IllegalArgumentException if longer than 128 characters or containing whitespace or control
         *     characters
         */
        public Builder keyPrefix(String keyPrefix) {
            requireNonNull(keyPrefix, "keyPrefix");
            Checks.requireArgument(
                    keyPrefix.length() <= 128,
                    "redis key prefix must be at most 128 characters: %s",
                    keyPrefix.length());
            for (int i = 0; i < keyPrefix.length(); i++) {
                char c = keyPrefix.charAt(i);
                Checks.requireArgument(
                        c > 0x20 && c != 0x7f,
                        "redis key prefix must not contain whitespace or control characters: '%s'",
                        Checks.escape(keyPrefix));
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets how long one decision waits for Redis before the failure mode answers. Default 100 ms.
         *
         * @throws IllegalArgumentException if not between 1 ms and 60 s
         */
        public Builder timeout(Duration timeout) {
            this.timeout = between("redis timeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(60));
            return this;
        }

        /**
         * Sets how long opening a TCP connection to Redis may take, for clients the store creates; {@link #build()}
         * waits at most this plus 2 s for the first connection. Default 1 s.
         *
         * @throws IllegalArgumentException if not between 1 ms and 60 s
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout =
                    between("redis connect timeout", connectTimeout, Duration.ofMillis(1), Duration.ofSeconds(60));
            return this;
        }

        /** Sets what decisions do when Redis cannot answer. Default {@link FailureMode#OPEN}. */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = requireNonNull(failureMode, "failureMode");
            return this;
        }

        /**
         * Sets the in-memory store used in {@link FailureMode#LOCAL}; the Redis store closes it. Default: {@link
         * BucketStore#local(long, TimeSource)} with {@link #localMaxTrackedKeys(long)} keys.
         */
        public Builder localFallback(BucketStore localFallback) {
            this.localFallback = requireNonNull(localFallback, "localFallback");
            return this;
        }

        /**
         * Sets the most buckets the default local fallback holds. Default 100 000.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder localMaxTrackedKeys(long maxTrackedKeys) {
            Checks.requireArgument(maxTrackedKeys >= 1, "max tracked keys must be at least 1: %s", maxTrackedKeys);
            this.localMaxTrackedKeys = maxTrackedKeys;
            return this;
        }

        /**
         * Sets how many consecutive failed calls open the circuit breaker. Default 5.
         *
         * @throws IllegalArgumentException if not between 1 and 1000
         */
        public Builder failureThreshold(int failureThreshold) {
            Checks.requireArgument(
                    failureThreshold >= 1 && failureThreshold <= 1000,
                    "redis breaker failure threshold must be between 1 and 1000: %s",
                    failureThreshold);
            this.failureThreshold = failureThreshold;
            return this;
        }

        /**
         * Sets how long the open breaker stops calling Redis before one decision probes it. Default 2 s.
         *
         * @throws IllegalArgumentException if not between 1 ms and 1 hour
         */
        public Builder coolDown(Duration coolDown) {
            this.coolDown = between("redis breaker cool-down", coolDown, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * Sets the clock of the circuit breaker and of the default local fallback. Default {@link TimeSource#system()}.
         * Bucket time is always Redis's own clock.
         */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * For tests: the script takes its time from {@link #timeSource(TimeSource)} (in milliseconds) instead of the
         * Redis server's {@code TIME}, so that a fake clock drives both this store and an in-memory one. Never for
         * production: instances' monotonic clocks have unrelated origins.
         */
        Builder clientTime(boolean clientTime) {
            this.clientTime = clientTime;
            return this;
        }

        /**
         * Builds the store and connects, waiting at most the connect timeout plus 2 s. When Redis is unreachable the
         * store is built all the same, with the breaker open: decisions follow the failure mode until a probe
         * connects.
         *
         * @throws IllegalStateException unless exactly one of a URI, a client or a connection was given, or if TLS
         *     options were given without a URI
         */
        public RedisBucketStore build() {
            int sources = (uris.isEmpty() ? 0 : 1) + (client == null ? 0 : 1) + (connection == null ? 0 : 1);
            if (sources != 1) {
                throw new IllegalStateException("redis store needs exactly one of a uri, a client or a connection; "
                        + (sources == 0 ? "none was given" : "several were given"));
            }
            if (sslOptions != null && uris.isEmpty()) {
                throw new IllegalStateException(
                        "redis ssl options apply to a uri only; an application's client or connection keeps its own");
            }
            RedisBucketStore store;
            if (connection != null) {
                store = new RedisBucketStore(
                        this,
                        Connector.given(connection),
                        "connection " + connection.connection.getClass().getSimpleName());
            } else if (client != null) {
                store = new RedisBucketStore(
                        this,
                        Connector.shared(client),
                        "application client " + client.getClass().getSimpleName());
            } else {
                store = fromUris();
            }
            store.connectAtStartup(connectTimeout);
            return store;
        }

        private RedisBucketStore fromUris() {
            List<RedisURI> parsed = new ArrayList<>();
            List<String> masked = new ArrayList<>();
            boolean isCluster = cluster || uris.size() > 1;
            for (String uri : uris) {
                RedisURI redisUri = RedisUris.parse(uri, isCluster);
                if (redisUri.getClientName() == null) {
                    redisUri.setClientName(CLIENT_NAME);
                }
                parsed.add(redisUri);
                masked.add(RedisUris.mask(uri));
            }
            String target = String.join(",", masked);
            ClientResources resources = ClientResources.builder()
                    .reconnectDelay(
                            Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                    .build();
            SocketOptions socket = SocketOptions.builder()
                    .connectTimeout(connectTimeout)
                    .keepAlive(true)
                    .build();
            if (isCluster) {
                RedisClusterClient clusterClient = RedisClusterClient.create(resources, parsed);
                ClusterClientOptions.Builder options = ClusterClientOptions.builder();
                if (sslOptions != null) {
                    options.sslOptions(sslOptions);
                }
                clusterClient.setOptions(options.autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(socket)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .build())
                        .build());
                return new RedisBucketStore(this, Connector.owned(clusterClient, null, resources), target);
            }
            RedisClient standalone = RedisClient.create(resources);
            ClientOptions.Builder options = ClientOptions.builder();
            if (sslOptions != null) {
                options.sslOptions(sslOptions);
            }
            standalone.setOptions(options.autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socket)
                    .build());
            return new RedisBucketStore(this, Connector.owned(standalone, parsed.get(0), resources), target);
        }

        private static Duration between(String setting, Duration value, Duration min, Duration max) {
            requireNonNull(value, "duration");
            Checks.requireArgument(
                    value.compareTo(min) >= 0 && value.compareTo(max) <= 0,
                    "%s must be between %s ms and %s s: %s",
                    setting,
                    min.toMillis(),
                    max.toSeconds(),
                    value);
            return value;
        }
    }
}
