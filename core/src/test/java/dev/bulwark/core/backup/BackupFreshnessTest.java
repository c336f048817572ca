package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.FakeTimeSource;
import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.health.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFreshnessTest {

    @TempDir
    Path dir;

    private final FakeTimeSource clock = new FakeTimeSource(); // 2026-01-01T00:00:00Z

    private void backupAt(java.time.Instant time) throws Exception {
        Files.writeString(dir.resolve(BackupDirectory.backupName(time, BackupFormat.CUSTOM)), "backup");
    }

    private ProbeResult check(BackupFreshness freshness) {
        return freshness.check(Duration.ofSeconds(1));
    }

    @Test
    void upThenWarnAfter26HoursThenDownAfter50Hours() throws Exception {
        backupAt(clock.now());
        BackupFreshness freshness =
                BackupFreshness.builder(dir).timeSource(clock).build();

        ProbeResult fresh = check(freshness);
        assertThat(fresh.status()).isEqualTo(Status.UP);
        assertThat(fresh.details())
                .containsEntry("newest", "db_backup_20260101_000000.dump")
                .containsEntry("age", 0L)
                .containsEntry("backups", 1)
                .containsEntry("warnAfter", 93_600L)
                .containsEntry("downAfter", 180_000L);

        clock.advance(Duration.ofHours(26));
        assertThat(check(freshness).status()).isEqualTo(Status.UP); // exactly at the threshold

        clock.advance(Duration.ofMinutes(1));
        ProbeResult warn = check(freshness);
        assertThat(warn.status()).isEqualTo(Status.WARN);
        assertThat(warn.message())
                .isEqualTo("newest verified backup db_backup_20260101_000000.dump is 26 h old (warn after 26 h)");

        clock.advance(Duration.ofHours(24));
        ProbeResult down = check(freshness);
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.message())
                .isEqualTo("newest verified backup db_backup_20260101_000000.dump is 50 h old (down after 50 h)");

        backupAt(clock.now()); // a new backup: fresh again
        assertThat(check(freshness).status()).isEqualTo(Status.UP);
    }

    @Test
    void aTemporaryFileOfARunningOrFailedRunDoesNotCount() throws Exception {
        backupAt(clock.now());
        BackupFreshness freshness =
                BackupFreshness.builder(dir).timeSource(clock).build();
        clock.advance(Duration.ofHours(30));
        Files.writeString(
                dir.resolve(BackupDirectory.tempName(BackupDirectory.backupName(clock.now(), BackupFormat.CUSTOM))),
                "half");

        assertThat(check(freshness).status()).isEqualTo(Status.WARN);
    }

    @Test
    void withoutAnyBackupTheAgeCountsFromStartup() throws Exception {
        BackupFreshness freshness = BackupFreshness.builder(dir.resolve("not-yet-created"))
                .timeSource(clock)
                .warnAfter(Duration.ofHours(2))
                .downAfter(Duration.ofHours(4))
                .build();

        assertThat(check(freshness).status()).isEqualTo(Status.UP);
        assertThat(check(freshness).details()).containsEntry("newest", "none").containsEntry("backups", 0);

        clock.advance(Duration.ofHours(3));
        assertThat(check(freshness).status()).isEqualTo(Status.WARN);
        assertThat(check(freshness).message())
                .isEqualTo("no backup in " + dir.resolve("not-yet-created") + " for 3 h (warn after 2 h)");

        clock.advance(Duration.ofHours(2));
        assertThat(check(freshness).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void reportsTheJobsConsecutiveFailures() throws Exception {
        backupAt(clock.now());
        BackupJob job = BackupJob.builder()
                .connection(PostgresConnection.builder().database("app").build())
                .directory(dir)
                .pgDump(dir.resolve("missing/pg_dump").toString())
                .timeSource(clock)
                .build();
        BackupFreshness freshness = BackupFreshness.builder(job).build();
        try {
            job.run();
        } catch (BackupException expected) {
            // pg_dump is missing
        }

        ProbeResult result = check(freshness);

        assertThat(result.status()).isEqualTo(Status.UP); // the newest backup is still fresh
        assertThat(result.details())
                .containsEntry("consecutiveFailures", 1)
                .containsEntry("lastFailure", "client_missing");
        assertThat(result.message())
                .startsWith("newest verified backup db_backup_20260101_000000.dump is 0 ms old;"
                        + " last run failed: pg_dump not found at ");
    }

    @Test
    void aStaleBackupMakesANonCriticalProbeWarnItsGroup() throws Exception {
        backupAt(clock.now());
        clock.advance(Duration.ofHours(60));
        HealthProbe probe = HealthProbe.builder(
                        "backup", BackupFreshness.builder(dir).timeSource(clock).build())
                .critical(false)
                .build();
        try (HealthRegistry registry =
                HealthRegistry.builder().cacheTtl(Duration.ZERO).probe(probe).build()) {
            registry.lifecycle().markStarted();

            GroupResult readiness = registry.evaluate(HealthRegistry.READINESS);

            assertThat(readiness.status()).isEqualTo(Status.WARN); // still ready: 200
            assertThat(readiness.checks().get("backup").status()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void thresholdsAreValidated() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupFreshness.builder(dir)
                        .warnAfter(Duration.ofHours(50))
                        .downAfter(Duration.ofHours(26))
                        .build())
                .withMessage("backup freshness down-after (PT26H) must be longer than warn-after (PT50H)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupFreshness.builder(dir).warnAfter(Duration.ZERO))
                .withMessage("backup freshness warn-after must be positive: PT0S");
        BackupFreshness defaults = BackupFreshness.builder(dir).build();
        assertThat(defaults.warnAfter()).isEqualTo(Duration.ofHours(26));
        assertThat(defaults.downAfter()).isEqualTo(Duration.ofHours(50));
    }
}
