package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates groups of {@link HealthProbe}s in parallel, with timeouts, caching, single flight and hysteresis.
 *
 * <p><b>Engine.</b> The probes of a group run in parallel on a small dedicated pool of daemon threads (never on the
 * calling request thread, which only waits). Each check is bounded by its probe's {@link HealthProbe#timeout()}: a
 * check that does not answer in time is reported {@link Status#DOWN} with {@code timed out after 200 ms} and
 * interrupted. The whole group is bounded by the group deadline (default {@value #DEFAULT_GROUP_DEADLINE_MILLIS} ms).
 * At most one check per probe is in flight: concurrent evaluations (of the same or of different groups) join the running
 * check instead of starting another (single flight), and a check that hangs past its timeout blocks only its own pool
 * thread — later evaluations report it as still running rather than piling up more threads or pool connections.
 *
 * <p><b>Caching.</b> A probe's result is reused for the cache TTL (default 1 s), so a burst of health requests triggers
 * one check. With {@link Builder#backgroundRefresh(Duration)} the probes are instead checked on a schedule and {@link
 * #evaluate(String)} never waits; a result older than the staleness limit counts as {@link Status#DOWN}.
 *
 * <p><b>Hysteresis.</b> A probe that was up is reported down only after {@code failureThreshold} consecutive failures,
 * and up again only after {@code successThreshold} consecutive successes (both default 1: no hysteresis). A probe's
 * first result is taken as it is.
 *
 * <p><b>Groups.</b> {@value #LIVENESS} (process state only: contains no probe unless one is explicitly added to it, and
 * ignores the lifecycle), {@value #READINESS} (the default group of every probe; {@link Status#DOWN} unless the {@link
 * HealthLifecycle} is {@link HealthLifecycle.State#STARTED}), {@value #STARTUP} ({@link Status#DOWN} while the
 * lifecycle is {@link HealthLifecycle.State#STARTING}) and any custom group named by a probe. A failing critical probe
 * makes its group {@link Status#DOWN}; a failing non-critical probe, or a probe reporting {@link Status#WARN}, makes it
 * {@link Status#WARN}.
 *
 * <p>Instances are safe for concurrent use; builders are not thread-safe. {@link #close()} stops the pool and the
 * scheduler.
 */
public final class HealthRegistry implements AutoCloseable {

    /** The liveness group: process state only. */
    public static final String LIVENESS = "liveness";

    /** The readiness group: dependencies needed to serve traffic; the default group of a probe. */
    public static final String READINESS = "readiness";

    /** The startup group. */
    public static final String STARTUP = "startup";

    /** The default group deadline in milliseconds: below Kubernetes' default probe timeout of 1 s. */
    public static final long DEFAULT_GROUP_DEADLINE_MILLIS = 900;

    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final Map<String, ProbeState> probes;
    private final Map<String, List<ProbeState>> groups;
    private final HealthLifecycle lifecycle;
    private final TimeSource time;
    private final long ttlNanos;
    private final long groupDeadlineNanos;
    private final Duration groupDeadline;
    private final int failureThreshold;
    private final int successThreshold;
    private final @Nullable Duration refreshInterval;
    private final long stalenessNanos;
    private final HealthListener listener;
    private final ThreadPoolExecutor pool;
    private final @Nullable ScheduledExecutorService scheduler;

    private HealthRegistry(Builder b) {
        this.lifecycle = b.lifecycle;
        this.time = b.time;
        this.ttlNanos = b.cacheTtl.toNanos();
        this.groupDeadline = b.groupDeadline;
        this.groupDeadlineNanos = b.groupDeadline.toNanos();
        this.failureThreshold = b.failureThreshold;
        this.successThreshold = b.successThreshold;
        this.refreshInterval = b.refreshInterval;
        this.listener = b.listener;

        Map<String, ProbeState> byName = new LinkedHashMap<>();
        Map<String, List<ProbeState>> byGroup = new LinkedHashMap<>();
        byGroup.put(LIVENESS, new ArrayList<>());
        byGroup.put(READINESS, new ArrayList<>());
        byGroup.put(STARTUP, new ArrayList<>());
        for (String g : b.extraGroups) {
            byGroup.putIfAbsent(g, new ArrayList<>());
        }
        long maxTimeout = 0;
        for (HealthProbe p : b.probes.values()) {
            ProbeState s = new ProbeState(p);
            byName.put(p.name(), s);
            maxTimeout = Math.max(maxTimeout, s.timeoutNanos);
            for (String g : p.groups()) {
                byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(s);
            }
        }
        this.probes = Collections.unmodifiableMap(byName);
        Map<String, List<ProbeState>> frozen = new LinkedHashMap<>();
        byGroup.forEach((g, list) -> frozen.put(g, List.copyOf(list)));
        this.groups = Collections.unmodifiableMap(frozen);

        if (b.refreshInterval != null) {
            this.stalenessNanos = b.stalenessLimit != null
                    ? b.stalenessLimit.toNanos()
                    : 2 * b.refreshInterval.toNanos() + maxTimeout;
        } else {
            this.stalenessNanos = Long.MAX_VALUE;
        }

        int threads = Math.max(1, Math.min(b.maxThreads, probes.size()));
        int id = POOL_IDS.incrementAndGet();
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(16, 2 * probes.size())),
                daemonThreads("bulwark-health-" + id + "-"));
        pool.allowCoreThreadTimeOut(true);

        for (ProbeState s : probes.values()) {
            for (String g : s.probe.groups()) {
                if (s.timeoutNanos > groupDeadlineNanos && b.refreshInterval == null) {
                    log.warn(
                            "health probe '{}' has a timeout of {}, longer than the group deadline of {} (group '{}'):"
                                    + " it is reported as down whenever it is slower than the deadline; lower the"
                                    + " probe timeout or raise the group deadline",
                            s.name,
                            HealthText.human(s.probe.timeout()),
                            HealthText.human(groupDeadline),
                            g);
                    break;
                }
            }
        }

        safely(() -> listener.onRegistered(probes.keySet(), groups.keySet()));

        if (b.refreshInterval != null) {
            ScheduledThreadPoolExecutor ses =
                    new ScheduledThreadPoolExecutor(1, daemonThreads("bulwark-health-" + id + "-scheduler-"));
            ses.setRemoveOnCancelPolicy(true);
            long interval = b.refreshInterval.toNanos();
            ses.scheduleWithFixedDelay(this::refreshAll, 0, interval, TimeUnit.NANOSECONDS);
            this.scheduler = ses;
        } else {
            this.scheduler = null;
        }
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the lifecycle whose state readiness and startup follow. */
    public HealthLifecycle lifecycle() {
        return lifecycle;
    }

    /** Returns the known group names: {@code liveness}, {@code readiness}, {@code startup} and custom groups. */
    public Set<String> groups() {
        return groups.keySet();
    }

    /** Returns the registered probes, in registration order. */
    public List<HealthProbe> probes() {
        List<HealthProbe> list = new ArrayList<>(probes.size());
        probes.values().forEach(s -> list.add(s.probe));
        return Collections.unmodifiableList(list);
    }

    /**
     * Maps the last path segment of a health URL to a group: {@code live} → {@code liveness}, {@code ready} → {@code
     * readiness}, {@code started} → {@code startup}; any known group name maps to itself.
     *
     * @return the group, or empty when the segment names no known group (the filter answers 404)
     */
    public Optional<String> groupForPath(String segment) {
        requireNonNull(segment, "segment");
        String group =
                switch (segment) {
                    case "live" -> LIVENESS;
                    case "ready" -> READINESS;
                    case "started" -> STARTUP;
                    default -> segment;
                };
        return groups.containsKey(group) ? Optional.of(group) : Optional.empty();
    }

    /**
     * Evaluates a group: reuses results younger than the cache TTL, joins checks already in flight, starts the others
     * on the health pool, and waits at most the group deadline. With background refresh, never waits: returns the
     * latest results, counting stale ones as down.
     *
     * <p>Called on request threads; blocks at most the group deadline; never throws for a failing probe.
     *
     * @throws IllegalArgumentException if the group is not known
     */
    public GroupResult evaluate(String group) {
        requireNonNull(group, "group");
        List<ProbeState> members = groups.get(group);
        requireArgument(members != null, "unknown health group '%s'; known groups: %s", escape(group), groups.keySet());
        long now = time.nanoTime();
        Map<String, ProbeResult> checks = new LinkedHashMap<>(members.size() + 1);
        Status status = Status.UP;
        ProbeResult lifecycleCheck = lifecycleCheck(group);
        if (lifecycleCheck != null) {
            checks.put(GroupResult.LIFECYCLE_CHECK, lifecycleCheck);
            status = Status.DOWN;
        }
        if (refreshInterval != null) {
            for (ProbeState s : members) {
                ProbeResult r = s.snapshot(now);
                checks.put(s.name, r);
                status = status.worse(contribution(s, r));
            }
        } else {
            Object[] tickets = new Object[members.size()];
            for (int i = 0; i < tickets.length; i++) {
                tickets[i] = members.get(i).ticket(now, false);
            }
            long groupDeadlineReal = System.nanoTime() + groupDeadlineNanos;
            for (int i = 0; i < tickets.length; i++) {
                ProbeState s = members.get(i);
                ProbeResult r = resolve(tickets[i], groupDeadlineReal, false);
                checks.put(s.name, r);
                status = status.worse(contribution(s, r));
            }
        }
        GroupResult result = new GroupResult(group, status, checks, time.now());
        safely(() -> listener.onGroupResult(result));
        return result;
    }

    /**
     * Runs one probe now, ignoring the cache (joining a check already in flight), and waits for it at most its
     * timeout. Used by {@link StartupGate}; the result also updates the probe's cached result and hysteresis.
     *
     * @return the result as the probe reported it (before hysteresis)
     * @throws IllegalArgumentException if no probe has this name
     */
    public ProbeResult checkNow(String probe) {
        requireNonNull(probe, "probe");
        ProbeState s = probes.get(probe);
        requireArgument(s != null, "unknown health probe '%s'; known probes: %s", escape(probe), probes.keySet());
        return resolve(s.ticket(time.nanoTime(), true), Long.MAX_VALUE, true);
    }

    /** Returns the latest result of a probe (after hysteresis), if it has been checked. */
    public Optional<ProbeResult> lastResult(String probe) {
        ProbeState s = probes.get(requireNonNull(probe, "probe"));
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return Optional.ofNullable(s.last);
        }
    }

    /** Stops the scheduler and the health pool, interrupting running checks. Idempotent. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "HealthRegistry{probes=" + probes.keySet() + ", groups=" + groups.keySet() + ", " + lifecycle + "}";
    }

    private @Nullable ProbeResult lifecycleCheck(String group) {
        HealthLifecycle.State state = lifecycle.state();
        boolean down = READINESS.equals(group) && state != HealthLifecycle.State.STARTED
                || STARTUP.equals(group) && state == HealthLifecycle.State.STARTING;
        if (!down) {
            return null;
        }
        String word = state.name().toLowerCase(Locale.ROOT);
        return new ProbeResult(
                Status.DOWN, word, "application is " + word, Map.of("state", state.name()), Duration.ZERO, time.now());
    }

    private static Status contribution(ProbeState s, ProbeResult r) {
        return r.status() == Status.DOWN && !s.probe.critical() ? Status.WARN : r.status();
    }

    private void refreshAll() {
        try {
            long now = time.nanoTime();
            List<Object> tickets = new ArrayList<>(probes.size());
            for (ProbeState s : probes.values()) {
                tickets.add(s.ticket(now, true));
            }
            for (Object t : tickets) {
                resolve(t, Long.MAX_VALUE, false);
            }
        } catch (RuntimeException e) {
            log.warn("background health refresh failed", e);
        }
    }

    private ProbeResult resolve(Object ticket, long groupDeadlineReal, boolean raw) {
        if (ticket instanceof ProbeResult) {
            return (ProbeResult) ticket;
        }
        Run run = (Run) ticket;
        long deadline = groupDeadlineReal == Long.MAX_VALUE
                ? run.realDeadline
                : (run.realDeadline - groupDeadlineReal < 0 ? run.realDeadline : groupDeadlineReal);
        try {
            long wait = Math.max(0, deadline - System.nanoTime());
            ProbeResult effective = run.outcome.get(wait, TimeUnit.NANOSECONDS);
            return raw ? run.rawOrElse(effective) : effective;
        } catch (TimeoutException e) {
            if (System.nanoTime() - run.realDeadline >= 0) {
                run.state.timeOut(run);
                ProbeResult effective = run.outcome.join();
                return raw ? run.rawOrElse(effective) : effective;
            }
            return new ProbeResult(
                    Status.DOWN,
                    "group deadline of " + HealthText.human(groupDeadline) + " exceeded",
                    null,
                    Map.of(),
                    groupDeadline,
                    time.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(Status.DOWN, "interrupted", null, Map.of(), Duration.ZERO, time.now());
        } catch (ExecutionException e) {
            return ProbeResult.down(e.getCause() != null ? e.getCause() : e).withTiming(Duration.ZERO, time.now());
        }
    }

    private void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("health listener {} failed", listener, e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One check in flight. Its outcome completes exactly once, with the result after hysteresis. */
    private static final class Run {
        final ProbeState state;
        final long realDeadline;
        final long startNanos;
        final CompletableFuture<ProbeResult> outcome = new CompletableFuture<>();
        final AtomicBoolean recorded = new AtomicBoolean();
        volatile @Nullable Future<?> task;
        volatile @Nullable ProbeResult raw;
        volatile boolean timedOut;

        Run(ProbeState state, long startNanos) {
            this.state = state;
            this.startNanos = startNanos;
            this.realDeadline = System.nanoTime() + state.timeoutNanos;
        }

        ProbeResult rawOrElse(ProbeResult effective) {
            ProbeResult r = raw;
            return r != null ? r : effective;
        }
    }

    /** The state of one probe: its cached result, its check in flight and its hysteresis counters. */
    private final class ProbeState {
        final HealthProbe probe;
        final String name;
        final long timeoutNanos;
        final String timedOut;

        // guarded by this
        @Nullable
        Run running;

        @Nullable
        ProbeResult last;

        long lastNanos;
        int failures;
        int successes;

        @Nullable
        Status reported;

        ProbeState(HealthProbe probe) {
            this.probe = probe;
            this.name = probe.name();
            this.timeoutNanos = probe.timeout().toNanos();
            this.timedOut = "timed out after " + HealthText.human(probe.timeout());
        }

        /** Returns a fresh cached result, the run in flight, or a new run. */
        Object ticket(long now, boolean force) {
            Run run;
            ProbeResult stuck = null;
            synchronized (this) {
                if (!force && last != null && now - lastNanos < ttlNanos) {
                    return last;
                }
                Run current = running;
                if (current != null && !current.outcome.isDone()) {
                    return current;
                }
                if (current != null && current.timedOut) {
                    // timed out earlier and its thread has not come back: do not start another one
                    Duration runningFor = Duration.ofNanos(Math.max(0, now - current.startNanos));
                    ProbeResult raw = new ProbeResult(
                            Status.DOWN,
                            timedOut,
                            "previous check still running after " + HealthText.human(runningFor),
                            Map.of(),
                            Duration.ZERO,
                            time.now());
                    stuck = recordLocked(raw, now);
                    run = null;
                } else {
                    run = new Run(this, now);
                    running = run;
                }
            }
            if (stuck != null) {
                ProbeResult result = stuck;
                safely(() -> listener.onProbeResult(name, result));
                return result;
            }
            try {
                run.task = pool.submit(() -> execute(run));
            } catch (RejectedExecutionException e) {
                complete(
                        run,
                        new ProbeResult(
                                Status.DOWN, "rejected by the health pool", null, Map.of(), Duration.ZERO, time.now()));
                finished(run);
            }
            return run;
        }

        /** Returns the latest result for background mode, counting a missing or stale one as down. */
        ProbeResult snapshot(long now) {
            synchronized (this) {
                if (last == null) {
                    return new ProbeResult(Status.DOWN, "not checked yet", null, Map.of(), Duration.ZERO, time.now());
                }
                long age = now - lastNanos;
                if (age > stalenessNanos) {
                    return new ProbeResult(
                            Status.DOWN,
                            "stale",
                            "last result is " + HealthText.human(Duration.ofNanos(age)) + " old",
                            last.details(),
                            last.duration(),
                            last.time());
                }
                return last;
            }
        }

        void execute(Run run) {
            try {
                long t0 = time.nanoTime();
                ProbeResult raw;
                try {
                    ProbeResult r = probe.check();
                    raw = r != null ? r : ProbeResult.down("probe returned no result");
                } catch (InterruptedException e) {
                    raw = ProbeResult.down(e);
                } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                    raw = ProbeResult.down(e);
                }
                if (System.nanoTime() - run.realDeadline > 0) {
                    // answered too late: a check slower than its timeout is down
                    raw = new ProbeResult(Status.DOWN, timedOut, null, Map.of(), probe.timeout(), time.now());
                } else {
                    raw = raw.withTiming(Duration.ofNanos(Math.max(0, time.nanoTime() - t0)), time.now());
                }
                complete(run, raw);
            } finally {
                finished(run);
            }
        }

        void timeOut(Run run) {
            ProbeResult raw = new ProbeResult(Status.DOWN, timedOut, null, Map.of(), probe.timeout(), time.now());
            run.timedOut = true;
            if (complete(run, raw)) {
                Future<?> task = run.task;
                if (task != null) {
                    task.cancel(true);
                }
            } else {
                run.timedOut = false; // it answered just in time
            }
        }

        /** Records the run's result exactly once; returns whether this call recorded it. */
        boolean complete(Run run, ProbeResult raw) {
            if (!run.recorded.compareAndSet(false, true)) {
                return false;
            }
            run.raw = raw;
            ProbeResult effective;
            synchronized (this) {
                effective = recordLocked(raw, time.nanoTime());
            }
            safely(() -> listener.onProbeResult(name, effective)); // before waiters wake up: metrics are current
            run.outcome.complete(effective);
            return true;
        }

        void finished(Run run) {
            synchronized (this) {
                if (running == run) {
                    running = null;
                }
            }
        }

        /** Applies hysteresis and caches the result. Caller holds the lock. */
        ProbeResult recordLocked(ProbeResult raw, long now) {
            boolean failing = raw.status() == Status.DOWN;
            if (failing) {
                failures = Math.min(failures + 1, 1_000_000);
                successes = 0;
            } else {
                successes = Math.min(successes + 1, 1_000_000);
                failures = 0;
            }
            Status previous = reported;
            ProbeResult effective;
            if (previous == null) {
                effective = raw;
            } else if (previous == Status.DOWN) {
                effective = failing || successes >= successThreshold
                        ? raw
                        : raw.withStatus(Status.DOWN)
                                .withError("recovering: " + successes + " of " + successThreshold + " successes");
            } else {
                effective = !failing || failures >= failureThreshold ? raw : raw.withStatus(previous);
            }
            reported = effective.status();
            last = effective;
            lastNanos = now;
            if (previous != null && previous != effective.status()) {
                if (effective.status() == Status.DOWN) {
                    log.warn("health probe '{}' is down: {}", name, effective.describe());
                } else {
                    log.info("health probe '{}' is {}", name, effective.status());
                }
            }
            return effective;
        }
    }

    /** Builds a {@link HealthRegistry}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private final Map<String, HealthProbe> probes = new LinkedHashMap<>();
        private final Set<String> extraGroups = new LinkedHashSet<>();
        private HealthLifecycle lifecycle = HealthLifecycle.create();
        private TimeSource time = TimeSource.system();
        private Duration cacheTtl = Duration.ofSeconds(1);
        private Duration groupDeadline = Duration.ofMillis(DEFAULT_GROUP_DEADLINE_MILLIS);
        private int failureThreshold = 1;
        private int successThreshold = 1;
        private @Nullable Duration refreshInterval;
        private @Nullable Duration stalenessLimit;
        private int maxThreads = 8;
        private HealthListener listener = HealthListener.noop();

        private Builder() {}

        /**
         * Adds a probe.
         *
         * @throws IllegalArgumentException if another probe has the same name, or the probe's name, groups or timeout
         *     are invalid
         */
        public Builder probe(HealthProbe probe) {
            requireNonNull(probe, "probe");
            String name = requireNonNull(probe.name(), "probe name");
            requireArgument(
                    HealthText.isValidName(name) && !GroupResult.LIFECYCLE_CHECK.equals(name),
                    "probe name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit, and not"
                            + " 'lifecycle': '%s'",
                    escape(name));
            requireArgument(!probes.containsKey(name), "duplicate health probe name '%s'", name);
            Set<String> groups = requireNonNull(probe.groups(), "probe groups");
            requireArgument(!groups.isEmpty(), "probe '%s' must belong to at least one group", name);
            for (String g : groups) {
                requireArgument(
                        HealthText.isValidName(g),
                        "probe '%s' has an invalid group name '%s': use 1-64 characters of A-Z a-z 0-9 . _ -",
                        name,
                        escape(g));
            }
            Duration timeout = requireNonNull(probe.timeout(), "probe timeout");
            requireArgument(
                    timeout.compareTo(Duration.ofMillis(1)) >= 0 && timeout.compareTo(Duration.ofMinutes(5)) <= 0,
                    "probe '%s' timeout must be between 1 ms and 5 min: %s",
                    name,
                    timeout);
            probes.put(name, probe);
            return this;
        }

        /** Adds probes; see {@link #probe(HealthProbe)}. */
        public Builder probes(Collection<? extends HealthProbe> probes) {
            probes.forEach(this::probe);
            return this;
        }

        /**
         * Declares a custom group even if no probe belongs to it (an empty group is up).
         *
         * @throws IllegalArgumentException if the name is invalid
         */
        public Builder group(String group) {
            requireArgument(
                    HealthText.isValidName(requireNonNull(group, "group")),
                    "group name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit: '%s'",
                    escape(group));
            extraGroups.add(group);
            return this;
        }

        /** Sets the lifecycle readiness and startup follow (default: a new one, {@code STARTING}). */
        public Builder lifecycle(HealthLifecycle lifecycle) {
            this.lifecycle = requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /** Sets the time source for caching, staleness and timestamps (default {@link TimeSource#system()}). */
        public Builder timeSource(TimeSource time) {
            this.time = requireNonNull(time, "time");
            return this;
        }

        /**
         * Sets how long a probe result is reused (default 1 s; zero disables caching).
         *
         * @throws IllegalArgumentException if negative or longer than 1 hour
         */
        public Builder cacheTtl(Duration ttl) {
            requireNonNull(ttl, "ttl");
            requireArgument(
                    !ttl.isNegative() && ttl.compareTo(Duration.ofHours(1)) <= 0,
                    "health cache ttl must be between 0 and 1 hour: %s",
                    ttl);
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * Sets the overall deadline of one group evaluation (default {@value #DEFAULT_GROUP_DEADLINE_MILLIS} ms).
         *
         * @throws IllegalArgumentException if not within 1 ms..5 min
         */
        public Builder groupDeadline(Duration deadline) {
            requireNonNull(deadline, "deadline");
            requireArgument(
                    deadline.compareTo(Duration.ofMillis(1)) >= 0 && deadline.compareTo(Duration.ofMinutes(5)) <= 0,
                    "health group deadline must be between 1 ms and 5 min: %s",
                    deadline);
            this.groupDeadline = deadline;
            return this;
        }

        /**
         * Sets after how many consecutive failures a probe that was up is reported down (default 1).
         *
         * @throws IllegalArgumentException if not within 1..100
         */
        public Builder failureThreshold(int failures) {
            requireArgument(failures >= 1 && failures <= 100, "health failure threshold must be 1..100: %s", failures);
            this.failureThreshold = failures;
            return this;
        }

        /**
         * Sets after how many consecutive successes a probe that was down is reported up (default 1).
         *
         * @throws IllegalArgumentException if not within 1..100
         */
        public Builder successThreshold(int successes) {
            requireArgument(
                    successes >= 1 && successes <= 100, "health success threshold must be 1..100: %s", successes);
            this.successThreshold = successes;
            return this;
        }

        /**
         * Checks every probe on a schedule instead of on demand (default: off). {@link #evaluate(String)} then returns
         * the latest results without waiting.
         *
         * @param interval the delay between two refreshes, or {@code null} for on-demand checks
         * @throws IllegalArgumentException if not within 10 ms..1 hour
         */
        public Builder backgroundRefresh(@Nullable Duration interval) {
            if (interval != null) {
                requireArgument(
                        interval.compareTo(Duration.ofMillis(10)) >= 0 && interval.compareTo(Duration.ofHours(1)) <= 0,
                        "health background refresh interval must be between 10 ms and 1 hour: %s",
                        interval);
            }
            this.refreshInterval = interval;
            return this;
        }

        /**
         * Sets the age after which a background result counts as down (default: twice the refresh interval plus the
         * longest probe timeout). Ignored without background refresh.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder stalenessLimit(@Nullable Duration limit) {
            if (limit != null) {
                requireArgument(
                        !limit.isNegative() && !limit.isZero(), "health staleness limit must be positive: %s", limit);
            }
            this.stalenessLimit = limit;
            return this;
        }

        /**
         * Sets the maximum number of health pool threads (default 8; the pool never has more threads than probes).
         *
         * @throws IllegalArgumentException if not within 1..64
         */
        public Builder maxThreads(int threads) {
            requireArgument(threads >= 1 && threads <= 64, "health max threads must be 1..64: %s", threads);
            this.maxThreads = threads;
            return this;
        }

        /** Sets the listener for results (default {@link HealthListener#noop()}). */
        public Builder listener(HealthListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Returns a registry; starts its background refresh if configured.
         *
         * @throws IllegalArgumentException if the staleness limit is shorter than the refresh interval
         */
        public HealthRegistry build() {
            if (refreshInterval != null && stalenessLimit != null) {
                requireArgument(
                        stalenessLimit.compareTo(refreshInterval) > 0,
                        "health staleness limit (%s) must be longer than the background refresh interval (%s), or every"
                                + " result goes stale before the next refresh",
                        stalenessLimit,
                        refreshInterval);
            }
            return new HealthRegistry(this);
        }
    }
}
