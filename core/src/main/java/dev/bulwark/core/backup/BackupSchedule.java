package dev.bulwark.core.backup;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When backups run: a daily time in a zone (such as 02:00 in Europe/Paris, the seed's crontab line {@code 0 2 * * *})
 * or a 5-field cron expression in a zone.
 *
 * <p>Instances are immutable and safe for concurrent use. Daylight-saving changes follow cron's rules: a time that
 * does not exist on a day the clocks go forward runs right after the change, at the same offset from midnight (02:30
 * runs at 03:30); a time that occurs twice when the clocks go back runs once, at its first occurrence.
 *
 * <pre>{@code
 * BackupSchedule.daily(LocalTime.of(2, 0), ZoneId.of("Europe/Paris"));
 * BackupSchedule.cron("30 1 * * 1-5", ZoneId.of("UTC"));     // 01:30 on weekdays
 * }</pre>
 */
public final class BackupSchedule {

    /** The seed's time of day: 02:00. */
    public static final LocalTime DEFAULT_TIME = LocalTime.of(2, 0);

    private final @Nullable LocalTime time;
    private final @Nullable CronExpression cron;
    private final ZoneId zone;

    private BackupSchedule(@Nullable LocalTime time, @Nullable CronExpression cron, ZoneId zone) {
        this.time = time;
        this.cron = cron;
        this.zone = zone;
    }

    /** Returns a schedule running every day at {@code time} in {@code zone}. */
    public static BackupSchedule daily(LocalTime time, ZoneId zone) {
        return new BackupSchedule(requireNonNull(time, "time"), null, requireNonNull(zone, "zone"));
    }

    /**
     * Returns a schedule running every day at a time such as {@code 02:00} or {@code 23:30:15} in {@code zone}.
     *
     * @throws IllegalArgumentException if the time is not {@code HH:mm} or {@code HH:mm:ss}
     */
    public static BackupSchedule daily(String time, ZoneId zone) {
        requireNonNull(time, "time");
        try {
            return daily(LocalTime.parse(time.strip()), zone);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "backup time must be a time of day such as 02:00 or 23:30: '" + time.strip() + "'", e);
        }
    }

    /**
     * Returns a schedule running whenever a 5-field cron expression matches, in {@code zone}: {@code minute hour
     * day-of-month month day-of-week}, each {@code *}, a value, a range, a step ({@code * /15}, without the space) or a
     * list, with month and day names; <code>&#64;daily</code>, <code>&#64;hourly</code>, <code>&#64;weekly</code>, <code>&#64;monthly</code>,
     * <code>&#64;yearly</code>. When both day fields are restricted, either matching is enough (as in cron).
     *
     * @throws IllegalArgumentException naming the field at fault, or if the expression never matches
     */
    public static BackupSchedule cron(String expression, ZoneId zone) {
        return new BackupSchedule(
                null, CronExpression.parse(requireNonNull(expression, "expression")), requireNonNull(zone, "zone"));
    }

    /** Returns the time of a daily schedule. */
    public java.util.Optional<LocalTime> time() {
        return java.util.Optional.ofNullable(time);
    }

    /** Returns the expression of a cron schedule. */
    public java.util.Optional<String> cronExpression() {
        return cron == null ? java.util.Optional.empty() : java.util.Optional.of(cron.toString());
    }

    /** Returns the zone. */
    public ZoneId zone() {
        return zone;
    }

    /** Returns the first run time strictly after {@code after}. */
    public Instant next(Instant after) {
        requireNonNull(after, "after");
        if (cron != null) {
            Instant next = cron.next(after, zone);
            if (next == null) {
                throw new IllegalStateException("cron expression '" + cron + "' has no run time after " + after);
            }
            return next;
        }
        LocalTime t = Objects.requireNonNull(time);
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; ; i++) {
            // ZonedDateTime.of moves a time in a gap forward by the gap and takes the earlier of two offsets
            Instant candidate = ZonedDateTime.of(day.plusDays(i), t, zone).toInstant();
            if (candidate.isAfter(after)) {
                return candidate;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupSchedule s
                && Objects.equals(time, s.time)
                && Objects.equals(String.valueOf(cron), String.valueOf(s.cron))
                && zone.equals(s.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, String.valueOf(cron), zone);
    }

    /** Returns {@code daily at 02:00 (Europe/Paris)} or {@code cron '0 2 * * *' (UTC)}. */
    @Override
    public String toString() {
        return cron != null ? "cron '" + cron + "' (" + zone + ")" : "daily at " + time + " (" + zone + ")";
    }
}
