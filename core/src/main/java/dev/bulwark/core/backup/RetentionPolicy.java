package dev.bulwark.core.backup;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which backups to keep once a new one has succeeded: those of the last N days (the seed's rule, default 7), or
 * grandfather-father-son (for example 7 daily, 4 weekly, 6 monthly).
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe. Whatever the policy, the
 * newest backup is never pruned, and {@link BackupJob} applies retention only right after a run succeeded: a failing
 * run, or a run that never happens, deletes nothing.
 *
 * <ul>
 *   <li>{@link #days(int) days(n)}: a backup is pruned when the time in its name is more than {@code n × 24 h} before
 *       now.
 *   <li>{@link #gfs(int, int, int) gfs(daily, weekly, monthly)}: as in borg and restic, the newest backup of each of
 *       the {@code daily} most recent days that have a backup is kept, then the newest of each of the {@code weekly}
 *       most recent ISO weeks (Monday to Sunday) not already kept, then the newest of each of the {@code monthly} most
 *       recent months not already kept; everything else is pruned. Because periods are counted among those that have
 *       a backup, backups that stopped for a while are not pruned just because time passed. Days, weeks and months
 *       are those of {@link #zone()} (default UTC).
 *   <li>{@link #keepAll()}: nothing is pruned.
 * </ul>
 */
public final class RetentionPolicy {

    /** The seed's retention in days. */
    public static final int DEFAULT_DAYS = 7;

    /** The most days, or periods per rule, a policy may name (100 years). */
    static final int MAX = 36_500;

    private enum Kind {
        DAYS,
        GFS,
        KEEP_ALL
    }

    private final Kind kind;
    private final int days;
    private final int daily;
    private final int weekly;
    private final int monthly;
    private final ZoneId zone;

    private RetentionPolicy(Builder b) {
        this.kind = b.kind;
        this.days = b.days;
        this.daily = b.daily;
        this.weekly = b.weekly;
        this.monthly = b.monthly;
        this.zone = b.zone;
    }

    /** Returns the default policy: the backups of the last {@value #DEFAULT_DAYS} days. */
    public static RetentionPolicy defaults() {
        return days(DEFAULT_DAYS);
    }

    /**
     * Returns a policy keeping the backups of the last {@code days} days.
     *
     * @throws IllegalArgumentException if {@code days} is not within 1..36500
     */
    public static RetentionPolicy days(int days) {
        return builder().keepDays(days).build();
    }

    /**
     * Returns a grandfather-father-son policy.
     *
     * @throws IllegalArgumentException if a count is negative or above 36500, or all are zero
     */
    public static RetentionPolicy gfs(int daily, int weekly, int monthly) {
        return builder().gfs(daily, weekly, monthly).build();
    }

    /** Returns a policy that never prunes. */
    public static RetentionPolicy keepAll() {
        return builder().keepAll().build();
    }

    /** Returns a builder, initially {@link #defaults()} in UTC. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this policy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.kind = kind;
        b.days = days;
        b.daily = daily;
        b.weekly = weekly;
        b.monthly = monthly;
        b.zone = zone;
        return b;
    }

    /** Returns whether this is a grandfather-father-son policy. */
    public boolean isGfs() {
        return kind == Kind.GFS;
    }

    /** Returns whether this policy never prunes. */
    public boolean isKeepAll() {
        return kind == Kind.KEEP_ALL;
    }

    /** Returns the number of days kept by a {@link #days(int)} policy, else {@code 0}. */
    public int keepDays() {
        return kind == Kind.DAYS ? days : 0;
    }

    /** Returns the daily count of a grandfather-father-son policy, else {@code 0}. */
    public int daily() {
        return daily;
    }

    /** Returns the weekly count of a grandfather-father-son policy, else {@code 0}. */
    public int weekly() {
        return weekly;
    }

    /** Returns the monthly count of a grandfather-father-son policy, else {@code 0}. */
    public int monthly() {
        return monthly;
    }

    /** Returns the zone whose days, weeks and months a grandfather-father-son policy counts (default UTC). */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Returns the backups this policy prunes, oldest first. The newest backup is never among them.
     *
     * @param backups the backups of one directory, in any order
     * @param now the current time
     */
    public List<BackupFile> prunable(Collection<BackupFile> backups, Instant now) {
        requireNonNull(backups, "backups");
        requireNonNull(now, "now");
        List<BackupFile> newestFirst = new ArrayList<>(backups);
        newestFirst.sort(Comparator.comparing(BackupFile::time)
                .thenComparing(BackupFile::name)
                .reversed());
        if (newestFirst.isEmpty() || kind == Kind.KEEP_ALL) {
            return List.of();
        }
        Set<BackupFile> keep = new HashSet<>();
        if (kind == Kind.DAYS) {
            Instant cutoff = now.minus(Duration.ofDays(days));
            for (BackupFile f : newestFirst) {
                if (!f.time().isBefore(cutoff)) {
                    keep.add(f);
                }
            }
        } else {
            keepNewestPerPeriod(newestFirst, daily, Period.DAY, keep);
            keepNewestPerPeriod(newestFirst, weekly, Period.WEEK, keep);
            keepNewestPerPeriod(newestFirst, monthly, Period.MONTH, keep);
        }
        keep.add(newestFirst.get(0)); // whatever the rules say
        List<BackupFile> prune = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            BackupFile f = newestFirst.get(i);
            if (!keep.contains(f)) {
                prune.add(f);
            }
        }
        return List.copyOf(prune);
    }

    private enum Period {
        DAY,
        WEEK,
        MONTH
    }

    /** The borg rule: walk newest first; the first backup of each new period is kept unless an earlier rule kept it. */
    private void keepNewestPerPeriod(List<BackupFile> newestFirst, int count, Period period, Set<BackupFile> keep) {
        if (count == 0) {
            return;
        }
        long last = Long.MIN_VALUE;
        int kept = 0;
        for (BackupFile f : newestFirst) {
            long key = periodKey(f.time(), period);
            if (key == last) {
                continue;
            }
            last = key;
            if (keep.add(f)) {
                kept++;
                if (kept == count) {
                    return;
                }
            }
        }
    }

    private long periodKey(Instant time, Period period) {
        ZonedDateTime t = time.atZone(zone);
        return switch (period) {
            case DAY -> t.toLocalDate().toEpochDay();
            case WEEK -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTH -> t.getYear() * 100L + t.getMonthValue();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionPolicy p
                && kind == p.kind
                && days == p.days
                && daily == p.daily
                && weekly == p.weekly
                && monthly == p.monthly
                && zone.equals(p.zone);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, days, daily, weekly, monthly, zone);
    }

    /** Returns {@code keep 7 days}, {@code keep 7 daily, 4 weekly, 6 monthly (UTC)} or {@code keep all}. */
    @Override
    public String toString() {
        return switch (kind) {
            case DAYS -> "keep " + days + " days";
            case GFS -> "keep " + daily + " daily, " + weekly + " weekly, " + monthly + " monthly (" + zone + ")";
            case KEEP_ALL -> "keep all";
        };
    }

    /** Builds a {@link RetentionPolicy}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private Kind kind = Kind.DAYS;
        private int days = DEFAULT_DAYS;
        private int daily;
        private int weekly;
        private int monthly;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {}

        /**
         * Keeps the backups of the last {@code days} days (the default, with 7).
         *
         * @throws IllegalArgumentException if {@code days} is not within 1..36500
         */
        public Builder keepDays(int days) {
            requireArgument(
                    days >= 1 && days <= MAX,
                    "retention days must be between 1 and %s: %s; use keepAll() to never prune",
                    MAX,
                    days);
            this.kind = Kind.DAYS;
            this.days = days;
            this.daily = 0;
            this.weekly = 0;
            this.monthly = 0;
            return this;
        }

        /**
         * Keeps the newest backup of each of the {@code daily} most recent days, {@code weekly} weeks and {@code
         * monthly} months (see the class documentation).
         *
         * @throws IllegalArgumentException if a count is negative or above 36500, or all are zero
         */
        public Builder gfs(int daily, int weekly, int monthly) {
            requireCount("daily", daily);
            requireCount("weekly", weekly);
            requireCount("monthly", monthly);
            requireArgument(
                    daily + weekly + monthly > 0,
                    "retention must keep at least one daily, weekly or monthly backup: %s, %s, %s",
                    daily,
                    weekly,
                    monthly);
            this.kind = Kind.GFS;
            this.days = 0;
            this.daily = daily;
            this.weekly = weekly;
            this.monthly = monthly;
            return this;
        }

        /** Never prunes. */
        public Builder keepAll() {
            this.kind = Kind.KEEP_ALL;
            this.days = 0;
            this.daily = 0;
            this.weekly = 0;
            this.monthly = 0;
            return this;
        }

        /** Sets the zone whose days, weeks and months grandfather-father-son counts (default UTC). */
        public Builder zone(ZoneId zone) {
            this.zone = requireNonNull(zone, "zone");
            return this;
        }

        /** Returns the policy. */
        public RetentionPolicy build() {
            return new RetentionPolicy(this);
        }

        private static void requireCount(String what, int count) {
            requireArgument(
                    count >= 0 && count <= MAX, "retention %s count must be between 0 and %s: %s", what, MAX, count);
        }
    }
}
