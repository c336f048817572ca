package dev.bulwark.core.ratelimit.redis;

import dev.bulwark.core.TimeSource;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops calling Redis after {@code threshold} consecutive failures, for a cool-down; then grants exactly one probe (the
 * store runs it in the background), and closes again when it succeeds.
 *
 * <p>Safe for concurrent use and lock-free: the common path (closed, no recent failure) is one volatile read before
 * the call and one after it. Every transition is made by exactly one thread (a compare-and-set), which counts it and
 * logs it once: an outage is one WARN line and its end one INFO line, never a line per request; probes and failed
 * probes log at DEBUG.
 */
final class CircuitBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBucketStore.class);

    /** What a caller may do. */
    enum Permit {
        /** Call Redis; report the outcome. */
        CALL,
        /** Probe Redis, the one probe of a half-open breaker; report the outcome. */
        PROBE,
        /** Do not call Redis. */
        REJECT
    }

    private final int threshold;
    private final long coolDownNanos;
    private final long staleProbeNanos;
    private final TimeSource time;
    private final String target;
    private final FailureMode mode;

    private final AtomicReference<BreakerState> state = new AtomicReference<>(BreakerState.CLOSED);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong probeStartedAt = new AtomicLong();
    private volatile long openedAt;

    private final LongAdder opened = new LongAdder();
    private final LongAdder probes = new LongAdder();
    private final LongAdder probeFailures = new LongAdder();
    private final LongAdder closed = new LongAdder();

    /**
     * @param staleProbeNanos how long a probe may stay unanswered before another is allowed (a safety net: every probe
     *     reports, but a connection attempt may hang for its own connect timeout)
     */
    CircuitBreaker(
            int threshold, long coolDownNanos, long staleProbeNanos, TimeSource time, String target, FailureMode mode) {
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
        this.staleProbeNanos = staleProbeNanos;
        this.time = time;
        this.target = target;
        this.mode = mode;
    }

    Permit acquire() {
        BreakerState current = state.get();
        if (current == BreakerState.CLOSED) {
            return Permit.CALL;
        }
        long now = time.nanoTime();
        if (current == BreakerState.OPEN) {
            if (now - openedAt >= coolDownNanos && state.compareAndSet(BreakerState.OPEN, BreakerState.HALF_OPEN)) {
                probeStartedAt.set(now);
                probes.increment();
                LOG.debug("Redis rate-limit store at {}: cool-down over, probing", target);
                return Permit.PROBE;
            }
            return Permit.REJECT;
        }
        long started = probeStartedAt.get();
        if (now - started >= staleProbeNanos && probeStartedAt.compareAndSet(started, now)) {
            probes.increment();
            LOG.debug("Redis rate-limit store at {}: previous probe unanswered, probing again", target);
            return Permit.PROBE;
        }
        return Permit.REJECT;
    }

    void onSuccess(Permit permit) {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (permit == Permit.PROBE && state.compareAndSet(BreakerState.HALF_OPEN, BreakerState.CLOSED)) {
            closed.increment();
            LOG.info(
                    "Redis rate-limit store at {} answers again: circuit closed, limits are shared again after {} s",
                    target,
                    TimeUnit.NANOSECONDS.toSeconds(time.nanoTime() - openedAt));
        }
    }

    void onFailure(Permit permit, @Nullable Throwable cause) {
        if (permit == Permit.PROBE) {
            openedAt = time.nanoTime();
            if (state.compareAndSet(BreakerState.HALF_OPEN, BreakerState.OPEN)) {
                probeFailures.increment();
                LOG.debug("Redis rate-limit store at {}: probe failed ({}), circuit open again", target, text(cause));
            }
            return;
        }
        if (permit == Permit.CALL && consecutiveFailures.incrementAndGet() >= threshold) {
            open(cause, threshold + " consecutive calls failed");
        }
    }

    /** Opens the breaker without counting failures: the store could not connect when it was built. */
    void openAtStartup(@Nullable Throwable cause) {
        open(cause, "not reachable at startup");
    }

    private void open(@Nullable Throwable cause, String why) {
        long now = time.nanoTime();
        openedAt = now;
        if (state.compareAndSet(BreakerState.CLOSED, BreakerState.OPEN)) {
            consecutiveFailures.set(0);
            opened.increment();
            LOG.warn(
                    "Redis rate-limit store at {}: {} (last: {}); circuit open, decisions follow failure mode '{}' "
                            + "without calling Redis, probing every {} ms",
                    target,
                    why,
                    text(cause),
                    mode,
                    TimeUnit.NANOSECONDS.toMillis(coolDownNanos));
        }
    }

    /** Returns how long clients should wait before retrying, for a fail-closed answer: the rest of the cool-down. */
    long retryAfterNanos() {
        long second = TimeUnit.SECONDS.toNanos(1);
        if (state.get() != BreakerState.OPEN) {
            return second;
        }
        return Math.max(second, coolDownNanos - (time.nanoTime() - openedAt));
    }

    BreakerState state() {
        return state.get();
    }

    long opened() {
        return opened.sum();
    }

    long probes() {
        return probes.sum();
    }

    long probeFailures() {
        return probeFailures.sum();
    }

    long closed() {
        return closed.sum();
    }

    /**
     * Describes a failure for the log: the exception and, when it has one, its first cause that is not a mere wrapper.
     * Lettuce reports a failed connection as a {@code RedisConnectionException} that names only the address (or
     * nothing, for a Sentinel lookup); the reason (an untrusted TLS certificate, an unknown Sentinel master name, a
     * reset connection) is in the cause.
     */
    private static String text(@Nullable Throwable cause) {
        if (cause == null) {
            return "no detail";
        }
        Throwable reason = cause.getCause();
        int depth = 0;
        while ((reason instanceof CompletionException || reason instanceof ExecutionException)
                && reason.getCause() != null
                && depth++ < 8) {
            reason = reason.getCause();
        }
        if (reason == null
                || reason == cause
                || (reason.getMessage() != null
                        && String.valueOf(cause.getMessage()).contains(reason.getMessage()))) {
            return one(cause);
        }
        return one(cause) + "; caused by " + one(reason);
    }

    private static String one(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
