package dev.bulwark.core.metrics;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.backup.BackupException;
import dev.bulwark.core.backup.BackupFile;
import dev.bulwark.core.backup.BackupJob;
import dev.bulwark.core.backup.BackupListener;
import dev.bulwark.core.backup.BackupResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes backup runs to Micrometer, as a {@link BackupListener} given to {@code BackupJob.Builder.listener}.
 *
 * <ul>
 *   <li>{@code bulwark.backup.last.success} (time gauge, seconds since the epoch): when the newest verified backup was
 *       started; {@code NaN} until one exists. Alert on {@code time() - bulwark_backup_last_success_seconds > 93600}
 *       (26 h);
 *   <li>{@code bulwark.backup.last.size} (gauge, bytes): the size of the newest backup;
 *   <li>{@code bulwark.backup.last.duration} (time gauge): how long the last successful run took;
 *   <li>{@code bulwark.backup.consecutive.failures} (gauge): runs failed since the last success;
 *   <li>{@code bulwark.backup.runs} (timer): every run, tagged {@code outcome} = {@code success} or {@code failure};
 *   <li>{@code bulwark.backup.failures} (counter): failed runs, tagged {@code reason} ({@code authentication}, {@code
 *       disk_full}, … a {@link BackupException.Reason}).
 * </ul>
 *
 * <p>Tags are bounded (outcomes, reasons). Safe for concurrent use. Call {@link #monitor(BackupJob)} once the job is
 * built, so that the gauges start from the newest backup already on disk instead of {@code NaN} after a restart:
 *
 * <pre>{@code
 * BackupMetrics metrics = new BackupMetrics(meterRegistry);
 * BackupJob job = BackupJob.builder().connection(c).directory(dir).listener(metrics).build();
 * metrics.monitor(job);
 * }</pre>
 */
public final class BackupMetrics implements BackupListener {

    /** The last-success time gauge name. */
    public static final String LAST_SUCCESS = "bulwark.backup.last.success";

    /** The last-size gauge name. */
    public static final String LAST_SIZE = "bulwark.backup.last.size";

    /** The last-duration time gauge name. */
    public static final String LAST_DURATION = "bulwark.backup.last.duration";

    /** The consecutive-failures gauge name. */
    public static final String CONSECUTIVE_FAILURES = "bulwark.backup.consecutive.failures";

    /** The run timer name. */
    public static final String RUNS = "bulwark.backup.runs";

    /** The failure counter name. */
    public static final String FAILURES = "bulwark.backup.failures";

    private static final long NAN = Double.doubleToLongBits(Double.NaN);

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicLong lastSuccessMillis = new AtomicLong(NAN);
    private final AtomicLong lastSize = new AtomicLong(NAN);
    private final AtomicLong lastDurationMillis = new AtomicLong(NAN);
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private final Timer success;
    private final Timer failure;
    private final Map<BackupException.Reason, Counter> failures = new EnumMap<>(BackupException.Reason.class);

    /** Creates a binder that registers its meters in {@code registry}. */
    public BackupMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Creates a binder that registers its meters in {@code registry}, with extra common tags. */
    public BackupMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = requireNonNull(registry, "registry");
        this.tags = Tags.of(requireNonNull(tags, "tags"));
        TimeGauge.builder(LAST_SUCCESS, lastSuccessMillis, TimeUnit.MILLISECONDS, BackupMetrics::bits)
                .tags(this.tags)
                .description("start time of the newest verified backup, since the epoch")
                .register(registry);
        Gauge.builder(LAST_SIZE, lastSize, BackupMetrics::bits)
                .tags(this.tags)
                .baseUnit("bytes")
                .description("size of the newest verified backup")
                .register(registry);
        TimeGauge.builder(LAST_DURATION, lastDurationMillis, TimeUnit.MILLISECONDS, BackupMetrics::bits)
                .tags(this.tags)
                .description("duration of the last successful backup run")
                .register(registry);
        Gauge.builder(CONSECUTIVE_FAILURES, consecutiveFailures, AtomicLong::get)
                .tags(this.tags)
                .description("backup runs failed since the last success")
                .register(registry);
        this.success = timer("success");
        this.failure = timer("failure");
    }

    private Timer timer(String outcome) {
        return Timer.builder(RUNS)
                .tags(tags)
                .tag("outcome", outcome)
                .description("backup runs by outcome")
                .register(registry);
    }

    private static double bits(AtomicLong holder) {
        return Double.longBitsToDouble(holder.get());
    }

    /**
     * Starts the gauges from the job's state: the newest backup in its directory (if none was recorded yet) and its
     * consecutive failures. Reads the directory once; a failure to read it is ignored.
     */
    public BackupMetrics monitor(BackupJob job) {
        requireNonNull(job, "job");
        if (lastSuccessMillis.get() == NAN) {
            try {
                job.latest().ifPresent(this::recordNewest);
            } catch (BackupException e) {
                // the directory cannot be read yet: the first run will tell
            }
        }
        consecutiveFailures.set(Math.max(consecutiveFailures.get(), job.consecutiveFailures()));
        return this;
    }

    private void recordNewest(BackupFile file) {
        lastSuccessMillis.set(Double.doubleToLongBits(file.time().toEpochMilli()));
        lastSize.set(Double.doubleToLongBits(file.size()));
    }

    @Override
    public void onSuccess(BackupResult result) {
        recordNewest(result.file());
        lastDurationMillis.set(Double.doubleToLongBits(result.duration().toMillis()));
        consecutiveFailures.set(0);
        success.record(result.duration());
    }

    @Override
    public void onFailure(BackupException e, Duration duration) {
        consecutiveFailures.incrementAndGet();
        failure.record(duration);
        Counter counter;
        synchronized (failures) {
            counter = failures.computeIfAbsent(e.reason(), r -> Counter.builder(FAILURES)
                    .tags(tags)
                    .tag("reason", r.tag())
                    .description("failed backup runs by reason")
                    .register(registry));
        }
        counter.increment();
    }

    @Override
    public String toString() {
        return "BackupMetrics{" + registry.getClass().getSimpleName() + "}";
    }
}
