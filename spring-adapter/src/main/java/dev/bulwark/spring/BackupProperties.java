package dev.bulwark.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PostgreSQL backups ({@code bulwark.backup.*}): a scheduled, verified, rotated {@code pg_dump} of the application's
 * database, watched by a freshness health probe. Off unless {@code bulwark.backup.enabled=true}; then the database is
 * {@code bulwark.backup.url} (with {@code username} and {@code password}), else the application's {@code
 * spring.datasource.url}, {@code username} and {@code password}.
 *
 * @param enabled Whether to back up the database (needs pg_dump, pg_restore and psql from the postgresql-client
 *     package)
 * @param url JDBC URL of the database to back up, such as jdbc:postgresql://db:5432/app; defaults to
 *     spring.datasource.url
 * @param username User the backup connects as; defaults to the URL's user parameter, then spring.datasource.username
 *     when the URL is the data source's
 * @param password Password of that user, passed to pg_dump in its environment only; defaults to
 *     spring.datasource.password when the URL is the data source's; without one, ~/.pgpass is read
 * @param directory Directory the backups are written to (required), on a volume that outlives the application, such as
 *     /var/backups/db
 * @param logDirectory Directory of the per-run logs; defaults to the logs directory inside the backup directory
 * @param format Backup format: custom (pg_dump -Fc, compressed, restored with pg_restore) or plain (SQL, gzipped,
 *     restored with psql)
 * @param schedule When backups run
 * @param retention Which backups are kept after a successful run; default the last 7 days
 * @param logRetention How long per-run logs are kept
 * @param freshness Health thresholds on the age of the newest verified backup
 * @param healthGroup Health group of the backup freshness probe: readiness or a custom group
 * @param healthCritical Whether a stale backup makes its health group DOWN (503) instead of WARN; a stale backup
 *     rarely justifies taking instances out of the load balancer
 * @param pgDump pg_dump command or path, such as /usr/lib/postgresql/16/bin/pg_dump; pg_restore and psql are taken
 *     from the same directory when present there
 * @param timeout Time limit of one pg_dump, pg_restore or psql run
 */
@ConfigurationProperties("bulwark.backup")
public record BackupProperties(
        @DefaultValue("false") boolean enabled,
        @Nullable String url,
        @Nullable String username,
        @Nullable String password,
        @Nullable String directory,
        @Nullable String logDirectory,
        @DefaultValue("custom") String format,
        @DefaultValue Schedule schedule,
        @DefaultValue Retention retention,
        @DefaultValue("14d") Duration logRetention,
        @DefaultValue Freshness freshness,
        @DefaultValue("readiness") String healthGroup,
        @DefaultValue("false") boolean healthCritical,
        @DefaultValue("pg_dump") String pgDump,
        @DefaultValue("6h") Duration timeout) {

    /**
     * When backups run ({@code bulwark.backup.schedule.*}): a daily time or a cron expression, in a zone.
     *
     * @param enabled Whether this application runs backups on the schedule; switch off when cron runs BackupCommand
     *     instead (the freshness probe stays)
     * @param time Daily time such as 02:00; the default when no cron expression is set
     * @param cron 5-field cron expression (minute hour day-of-month month day-of-week) such as 0 2 * * *, instead of a
     *     daily time
     * @param zone Time zone of the time or cron expression, such as Europe/Paris; defaults to the system zone
     */
    public record Schedule(
            @DefaultValue("true") boolean enabled,
            @Nullable String time,
            @Nullable String cron,
            @Nullable String zone) {}

    /**
     * Which backups are kept ({@code bulwark.backup.retention.*}): the last N days, or grandfather-father-son when
     * daily, weekly or monthly is set. Pruning happens only after a new backup succeeded; the newest is never pruned.
     *
     * @param days Keep the backups of the last N days (default 7)
     * @param daily Grandfather-father-son: keep the newest backup of each of the N most recent days
     * @param weekly Grandfather-father-son: keep the newest backup of each of the N most recent ISO weeks
     * @param monthly Grandfather-father-son: keep the newest backup of each of the N most recent months
     */
    public record Retention(
            @Nullable Integer days,
            @Nullable Integer daily,
            @Nullable Integer weekly,
            @Nullable Integer monthly) {}

    /**
     * Health thresholds on the age of the newest verified backup ({@code bulwark.backup.freshness.*}).
     *
     * @param warnAfter Age after which the backup probe reports WARN
     * @param downAfter Age after which the backup probe reports DOWN
     */
    public record Freshness(
            @DefaultValue("26h") Duration warnAfter,
            @DefaultValue("50h") Duration downAfter) {}
}
