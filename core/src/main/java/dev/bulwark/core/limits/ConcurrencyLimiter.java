package dev.bulwark.core.limits;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Lets at most {@code maxConcurrent} requests run at once; up to {@code maxQueue} more wait (first come, first
 * served) for at most {@code queueTimeout}; everything beyond is refused at once, to be answered {@code 503 Service
 * Unavailable} with {@code Retry-After}. The JVM analogue of a worker/thread/backlog sizing: excess load is shed in
 * microseconds instead of piling up in the container's queues until every request times out.
 *
 * <p>Defaults: no default for {@code maxConcurrent} (it must be set: see {@link #suggestedMaxConcurrent(int)} for the
 * seed's sizing rule); {@code maxQueue} {@value #DEFAULT_MAX_QUEUE}; {@code queueTimeout} 1 s; {@code Retry-After}
 * 1 s; exempt paths {@code /health/**} and {@code /actuator/health/**}, so an overloaded instance still answers its
 * probes. Note that a waiting request holds a container thread: keep {@code maxConcurrent + maxQueue} below the
 * container's thread count (or use virtual threads), else the container's own queue fills first.
 *
 * <p>In-flight, queued, admitted and rejected requests are counted ({@link #inFlight()}, {@link #queued()}, {@link
 * #admitted()}, {@link #rejected()}); {@code dev.bulwark.core.metrics.RequestMetrics#monitor} publishes them.
 *
 * <pre>{@code
 * ConcurrencyLimiter limiter = ConcurrencyLimiter.builder().maxConcurrent(20).maxQueue(50).build();
 * if (limiter.tryAcquire().admitted()) {
 *     try { handle(request); } finally { limiter.release(); }
 * }
 * }</pre>
 *
 * <p>Instances are safe for concurrent use (their state is a fair semaphore and counters); builders are not
 * thread-safe.
 */
public final class ConcurrencyLimiter {

    /** The default wait queue bound. */
    public static final int DEFAULT_MAX_QUEUE = 100;
    /** The default longest wait for a slot. */
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(1);
    /** The default {@code Retry-After} of a refusal. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** The paths exempt by default: health endpoints. */
    public static final List<String> DEFAULT_EXEMPT_PATHS = List.of("/health/**", "/actuator/health/**");

    private final int maxConcurrent;
    private final int maxQueue;
    private final Duration queueTimeout;
    private final long queueTimeoutNanos;
    private final Duration retryAfter;
    private final long retryAfterSeconds;
    private final List<PathPattern> exemptPaths;
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder admitted = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder queueTimeouts = new LongAdder();
    private final byte[] queueFullBody;
    private final byte[] queueTimeoutBody;

    private ConcurrencyLimiter(Builder b) {
        requireArgument(b.maxConcurrent > 0, "max concurrent requests must be set (at least 1)");
        this.maxConcurrent = b.maxConcurrent;
        this.maxQueue = b.maxQueue;
        this.queueTimeout = b.queueTimeout;
        this.queueTimeoutNanos = b.queueTimeout.toNanos();
        this.retryAfter = b.retryAfter;
        this.retryAfterSeconds = Math.max(1, ceilSeconds(b.retryAfter));
        this.exemptPaths = List.copyOf(b.exemptPaths);
        this.permits = new Semaphore(maxConcurrent, true);
        this.queueFullBody = body("server is at its concurrency limit of " + maxConcurrent
                + " requests and its wait queue of " + maxQueue + " is full");
        this.queueTimeoutBody = body("server is at its concurrency limit of " + maxConcurrent
                + " requests; no slot became free within " + queueTimeout.toMillis() + " ms");
    }

    private byte[] body(String detail) {
        return ("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"" + detail
                        + "; retry after " + retryAfterSeconds + " s\",\"retryAfter\":" + retryAfterSeconds + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static long ceilSeconds(Duration d) {
        long seconds = d.getSeconds();
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }

    /** Returns a builder with the defaults; {@link Builder#maxConcurrent(int)} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the seed's sizing rule: {@code 2 × cpus + 1} workers of {@code 2 × cpus} threads each, i.e. how many
     * requests a Gunicorn deployment sized by that rule runs at once. For 2 CPUs: 5 × 4 = 20.
     *
     * @throws IllegalArgumentException if {@code cpus} is below 1
     */
    public static int suggestedMaxConcurrent(int cpus) {
        requireArgument(cpus >= 1, "cpu count must be at least 1: %s", cpus);
        return (2 * cpus + 1) * (2 * cpus);
    }

    /**
     * Waits for a slot, if the queue has room, for at most the queue timeout. A thread interrupted while waiting gets
     * {@link AdmissionDecision#QUEUE_TIMEOUT} with its interrupt flag restored. Never throws.
     *
     * @return {@link AdmissionDecision#ADMITTED}, after which the caller must call {@link #release()} exactly once, or
     *     the reason for refusing
     */
    public AdmissionDecision tryAcquire() {
        // tryAcquire(0, unit) honours the fair ordering, unlike tryAcquire(): newcomers never overtake waiters
        try {
            if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                admitted.increment();
                return AdmissionDecision.ADMITTED;
            }
            if (waiting.incrementAndGet() > maxQueue) {
                waiting.decrementAndGet();
                queueFull.increment();
                return AdmissionDecision.QUEUE_FULL;
            }
            boolean acquired;
            try {
                acquired = queueTimeoutNanos > 0 && permits.tryAcquire(queueTimeoutNanos, TimeUnit.NANOSECONDS);
            } finally {
                waiting.decrementAndGet();
            }
            if (acquired) {
                admitted.increment();
                return AdmissionDecision.ADMITTED;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queueTimeouts.increment();
        return AdmissionDecision.QUEUE_TIMEOUT;
    }

    /** Frees the slot of an admitted request. */
    public void release() {
        permits.release();
    }

    /** Returns whether a path bypasses the limiter (health endpoints by default). */
    public boolean isExempt(String path) {
        return !exemptPaths.isEmpty() && PathPattern.anyMatches(exemptPaths, path);
    }

    /** Returns the {@code Retry-After} value of a refusal in whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Returns the length of the problem document for a refusal. */
    public int rejectionLength(AdmissionDecision decision) {
        return decision == AdmissionDecision.QUEUE_FULL ? queueFullBody.length : queueTimeoutBody.length;
    }

    /**
     * Writes the RFC 9457 {@code application/problem+json} document for a refusal, such as {@code
     * {"type":"about:blank","title":"Service Unavailable","status":503,"detail":"…","retryAfter":1}}.
     */
    public void writeRejection(AdmissionDecision decision, OutputStream out) throws IOException {
        out.write(decision == AdmissionDecision.QUEUE_FULL ? queueFullBody : queueTimeoutBody);
    }

    // ---------------------------------------------------------------------------------------------------- snapshot

    /** Returns the number of requests running now (admitted and not yet released). */
    public int inFlight() {
        return maxConcurrent - permits.availablePermits();
    }

    /** Returns the number of requests waiting for a slot now. */
    public int queued() {
        return Math.max(0, waiting.get());
    }

    /** Returns the number of requests admitted since start. */
    public long admitted() {
        return admitted.sum();
    }

    /** Returns the number of requests refused since start, for either reason. */
    public long rejected() {
        return queueFull.sum() + queueTimeouts.sum();
    }

    /** Returns the number of requests refused since start for one reason ({@code 0} for {@code ADMITTED}). */
    public long rejected(AdmissionDecision reason) {
        return switch (requireNonNull(reason, "reason")) {
            case ADMITTED -> 0;
            case QUEUE_FULL -> queueFull.sum();
            case QUEUE_TIMEOUT -> queueTimeouts.sum();
        };
    }

    /** Returns the most requests that run at once. */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Returns the most requests that wait for a slot. Default {@value #DEFAULT_MAX_QUEUE}. */
    public int maxQueue() {
        return maxQueue;
    }

    /** Returns the longest wait for a slot. Default 1 s. */
    public Duration queueTimeout() {
        return queueTimeout;
    }

    /** Returns the {@code Retry-After} of a refusal. Default 1 s. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Returns the exempt path patterns. */
    public List<PathPattern> exemptPaths() {
        return exemptPaths;
    }

    /**
     * Describes the sizing of a deployment for the startup log: the container's thread pool, the CPU count, the
     * limiter's setting, and, when no limiter is configured, the seed's sizing rule as a suggestion; with a warning
     * when queued requests could exhaust the container's threads.
     *
     * @param limiter the limiter, or {@code null} when none is configured
     * @param containerThreads the container's maximum request threads, or a negative value when unknown
     * @param container a short description of the container, such as {@code Tomcat}
     * @param cpus the number of available processors
     */
    public static String sizingReport(
            @Nullable ConcurrencyLimiter limiter, int containerThreads, String container, int cpus) {
        requireNonNull(container, "container");
        StringBuilder sb = new StringBuilder("bulwark overload protection: ")
                .append(container)
                .append(" request threads ")
                .append(containerThreads < 0 ? "unknown" : Integer.toString(containerThreads))
                .append(", ")
                .append(cpus)
                .append(cpus == 1 ? " CPU, " : " CPUs, ");
        int suggested = suggestedMaxConcurrent(Math.max(1, cpus));
        if (limiter == null) {
            sb.append("no concurrency limit; the seed's sizing rule (2 x CPU + 1 workers x 2 x CPU threads) suggests ")
                    .append(suggested)
                    .append(" concurrent requests (bulwark.limits.concurrency.max-concurrent=")
                    .append(suggested)
                    .append(')');
        } else {
            sb.append("concurrency limit ")
                    .append(limiter.maxConcurrent())
                    .append(" in flight, queue ")
                    .append(limiter.maxQueue())
                    .append(" for at most ")
                    .append(limiter.queueTimeout().toMillis())
                    .append(" ms (sizing rule: ")
                    .append(suggested)
                    .append(')');
            if (containerThreads > 0 && limiter.maxConcurrent() + limiter.maxQueue() > containerThreads) {
                sb.append("; WARNING: max-concurrent + max-queue (")
                        .append(limiter.maxConcurrent() + limiter.maxQueue())
                        .append(") exceeds the container's ")
                        .append(containerThreads)
                        .append(" threads, and a queued request holds a thread: the container's own queue fills first");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "ConcurrencyLimiter[max=" + maxConcurrent + ", queue=" + maxQueue + ", timeout=" + queueTimeout
                + ", inFlight=" + inFlight() + ", queued=" + queued() + "]";
    }

    /** Builds a {@link ConcurrencyLimiter}. Not thread-safe; {@link #build()} leaves the builder reusable. */
    public static final class Builder {
        private int maxConcurrent;
        private int maxQueue = DEFAULT_MAX_QUEUE;
        private Duration queueTimeout = DEFAULT_QUEUE_TIMEOUT;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private final List<PathPattern> exemptPaths = new ArrayList<>(PathPattern.listOf(DEFAULT_EXEMPT_PATHS));

        private Builder() {}

        /**
         * Sets the most requests that run at once. Required.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConcurrent(int requests) {
            requireArgument(requests >= 1, "max concurrent requests must be at least 1: %s", requests);
            this.maxConcurrent = requests;
            return this;
        }

        /**
         * Sets the most requests that wait for a slot; 0 refuses at once when every slot is taken. Default 100.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxQueue(int requests) {
            requireArgument(requests >= 0, "max queued requests must not be negative: %s", requests);
            this.maxQueue = requests;
            return this;
        }

        /**
         * Sets the longest a request waits for a slot. Default 1 s.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder queueTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            requireArgument(!timeout.isNegative(), "queue timeout must not be negative: %s", timeout);
            this.queueTimeout = timeout;
            return this;
        }

        /**
         * Sets the {@code Retry-After} of a refusal (sent in whole seconds, rounded up, at least 1). Default 1 s.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder retryAfter(Duration retryAfter) {
            requireNonNull(retryAfter, "retryAfter");
            requireArgument(!retryAfter.isNegative(), "retry after must not be negative: %s", retryAfter);
            this.retryAfter = retryAfter;
            return this;
        }

        /** Adds exempt path patterns ({@link PathPattern} syntax), beside the default health endpoints. */
        public Builder exemptPaths(Collection<String> patterns) {
            requireNonNull(patterns, "patterns");
            exemptPaths.addAll(PathPattern.listOf(patterns));
            return this;
        }

        /** Removes every exempt path, the default health endpoints included. */
        public Builder clearExemptPaths() {
            exemptPaths.clear();
            return this;
        }

        /**
         * Builds the limiter.
         *
         * @throws IllegalArgumentException if {@link #maxConcurrent(int)} was not set
         */
        public ConcurrencyLimiter build() {
            return new ConcurrencyLimiter(this);
        }
    }
}
