/**
 * PostgreSQL backups that cannot fail silently: {@link dev.bulwark.core.backup.BackupJob} runs {@code pg_dump} as a
 * child process (connection and version check first, the password only in the child's environment, the exit status
 * always checked), writes to a temporary file, verifies it and renames it atomically, then prunes by {@link
 * dev.bulwark.core.backup.RetentionPolicy} (last N days, or grandfather-father-son) only after a new backup succeeded.
 *
 * <p>Around the job: {@link dev.bulwark.core.backup.BackupScheduler} runs it in-process on a {@link
 * dev.bulwark.core.backup.BackupSchedule} (a daily time in a zone, or a 5-field cron expression), never twice at once;
 * {@link dev.bulwark.core.backup.BackupCommand} is the same job for cron and CI ({@code run}, {@code list}, {@code
 * verify}, {@code restore --into <new database> --yes}); {@link dev.bulwark.core.backup.BackupFreshness} is a health
 * check that turns {@code WARN}, then {@code DOWN}, when the newest verified backup gets old; {@link
 * dev.bulwark.core.backup.BackupListener} feeds metrics ({@code dev.bulwark.core.metrics.BackupMetrics}).
 *
 * <pre>{@code
 * BackupJob job = BackupJob.builder()
 *     .connection(PostgresConnection.fromJdbcUrl("jdbc:postgresql://db:5432/app?user=backup")
 *         .toBuilder().password(password).build())
 *     .directory(Path.of("/var/backups/db"))
 *     .retention(RetentionPolicy.gfs(7, 4, 6))
 *     .build();
 * BackupScheduler scheduler = BackupScheduler.start(job, BackupSchedule.daily(LocalTime.of(2, 0), ZoneId.of("Europe/Paris")));
 * HealthProbe probe = HealthProbe.builder("backup", BackupFreshness.builder(job).build()).critical(false).build();
 * }</pre>
 *
 * <p>Layout of the backup directory (the seed's): {@code db_backup_YYYYMMDD_HHMMSS.dump} (custom format) or {@code
 * .sql.gz} (plain SQL, gzipped), timestamps in UTC; one log per run in {@code logs/backup_YYYYMMDD_HHMMSS.log}.
 * Files of any other name are never touched.
 */
@NullMarked
package dev.bulwark.core.backup;

import org.jspecify.annotations.NullMarked;
