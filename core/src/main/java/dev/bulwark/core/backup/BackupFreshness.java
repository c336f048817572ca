package dev.bulwark.core.backup;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.health.ProbeCheck;
import dev.bulwark.core.health.ProbeResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A health check on the age of the newest verified backup: {@code UP} while it is younger than {@code warnAfter}
 * (default 26 h: a daily backup plus slack), {@code WARN} after that, {@code DOWN} after {@code downAfter} (default 50
 * h: two missed daily runs). Backups that silently stopped are the failure this catches.
 *
 * <p>Immutable and safe for concurrent use; builders are not thread-safe. Only files with a backup's final name count,
 * and a run gives that name only to a verified file, so an interrupted or failed run never looks fresh. The directory
 * is read on each check (one directory listing), so backups written by {@link BackupCommand} from cron count too.
 * While the directory holds no backup at all, the age is measured from when this check was built (application start),
 * so a new installation is not {@code DOWN} before its first scheduled run. Built from a {@link BackupJob}, the result
 * also reports the job's consecutive failures and the last failure's reason.
 *
 * <p>Register it with the health registry; a stale backup rarely justifies taking instances out of the load balancer,
 * so make it non-critical (the group then reports {@code WARN}, the probe itself {@code WARN} or {@code DOWN}):
 *
 * <pre>{@code
 * HealthProbe backup = HealthProbe.builder("backup", BackupFreshness.builder(job).build())
 *     .critical(false)
 *     .timeout(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 */
public final class BackupFreshness implements ProbeCheck {

    /** The default age after which the check reports {@code WARN}. */
    public static final Duration DEFAULT_WARN_AFTER = Duration.ofHours(26);

    /** The default age after which the check reports {@code DOWN}. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofHours(50);

    private final Path directory;
    private final @Nullable BackupJob job;
    private final Duration warnAfter;
    private final Duration downAfter;
    private final TimeSource time;
    private final Instant since;

    private BackupFreshness(Builder b) {
        this.directory = b.directory;
        this.job = b.job;
        this.warnAfter = b.warnAfter;
        this.downAfter = b.downAfter;
        this.time = b.time;
        this.since = time.now();
    }

    /** Returns a builder for a check on the backups of a directory. */
    public static Builder builder(Path directory) {
        return new Builder(requireNonNull(directory, "directory"), null, TimeSource.system());
    }

    /** Returns a builder for a check on a job's directory that also reports the job's failures and uses its clock. */
    public static Builder builder(BackupJob job) {
        requireNonNull(job, "job");
        return new Builder(job.directory(), job, job.timeSource());
    }

    /** Returns the age after which the check reports {@code WARN}. */
    public Duration warnAfter() {
        return warnAfter;
    }

    /** Returns the age after which the check reports {@code DOWN}. */
    public Duration downAfter() {
        return downAfter;
    }

    /** Returns the directory checked. */
    public Path directory() {
        return directory;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        List<BackupFile> backups;
        try {
            backups = BackupDirectory.list(directory);
        } catch (IOException e) {
            return ProbeResult.down("backup directory " + directory + " cannot be read: " + e.getMessage());
        }
        Instant now = time.now();
        Map<String, Object> details = new LinkedHashMap<>();
        String subject;
        Duration age;
        if (backups.isEmpty()) {
            age = positive(Duration.between(since, now));
            details.put("newest", "none");
            subject = "no backup in " + directory + " for " + BackupJob.human(age);
        } else {
            BackupFile newest = backups.get(0);
            age = positive(Duration.between(newest.time(), now));
            details.put("newest", newest.name());
            details.put("size", newest.size());
            subject = "newest verified backup " + newest.name() + " is " + BackupJob.human(age) + " old";
        }
        details.put("age", age.toSeconds());
        details.put("backups", backups.size());
        details.put("warnAfter", warnAfter.toSeconds());
        details.put("downAfter", downAfter.toSeconds());
        String failure = "";
        if (job != null && job.consecutiveFailures() > 0) {
            details.put("consecutiveFailures", job.consecutiveFailures());
            BackupException last = job.lastFailure().orElse(null);
            if (last != null) {
                details.put("lastFailure", last.reason().tag());
                failure = "; last run failed: " + last.getMessage();
            }
        }
        if (age.compareTo(downAfter) > 0) {
            return ProbeResult.down(subject + " (down after " + BackupJob.human(downAfter) + ")" + failure, details);
        }
        if (age.compareTo(warnAfter) > 0) {
            return ProbeResult.warn(subject + " (warn after " + BackupJob.human(warnAfter) + ")" + failure, details);
        }
        if (!failure.isEmpty()) {
            return ProbeResult.of(dev.bulwark.core.health.Status.UP, subject + failure, details);
        }
        return ProbeResult.up(details);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public String toString() {
        return "BackupFreshness{" + directory + ", warn after " + BackupJob.human(warnAfter) + ", down after "
                + BackupJob.human(downAfter) + "}";
    }

    /** Builds a {@link BackupFreshness}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private final Path directory;
        private final @Nullable BackupJob job;
        private TimeSource time;
        private Duration warnAfter = DEFAULT_WARN_AFTER;
        private Duration downAfter = DEFAULT_DOWN_AFTER;

        private Builder(Path directory, @Nullable BackupJob job, TimeSource time) {
            this.directory = directory;
            this.job = job;
            this.time = time;
        }

        /**
         * Sets the age after which the check reports {@code WARN} (default 26 h).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder warnAfter(Duration warnAfter) {
            requireNonNull(warnAfter, "warnAfter");
            requireArgument(
                    !warnAfter.isNegative() && !warnAfter.isZero(),
                    "backup freshness warn-after must be positive: %s",
                    warnAfter);
            this.warnAfter = warnAfter;
            return this;
        }

        /**
         * Sets the age after which the check reports {@code DOWN} (default 50 h).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder downAfter(Duration downAfter) {
            requireNonNull(downAfter, "downAfter");
            requireArgument(
                    !downAfter.isNegative() && !downAfter.isZero(),
                    "backup freshness down-after must be positive: %s",
                    downAfter);
            this.downAfter = downAfter;
            return this;
        }

        /** Sets the time source (default: the job's, else {@link TimeSource#system()}). */
        public Builder timeSource(TimeSource time) {
            this.time = requireNonNull(time, "time");
            return this;
        }

        /**
         * Returns the check; its "no backup yet" age starts now.
         *
         * @throws IllegalArgumentException if down-after is not longer than warn-after
         */
        public BackupFreshness build() {
            requireArgument(
                    downAfter.compareTo(warnAfter) > 0,
                    "backup freshness down-after (%s) must be longer than warn-after (%s)",
                    downAfter,
                    warnAfter);
            return new BackupFreshness(this);
        }
    }
}
