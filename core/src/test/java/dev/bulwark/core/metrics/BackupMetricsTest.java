package dev.bulwark.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.backup.BackupException;
import dev.bulwark.core.backup.BackupFile;
import dev.bulwark.core.backup.BackupFormat;
import dev.bulwark.core.backup.BackupJob;
import dev.bulwark.core.backup.BackupResult;
import dev.bulwark.core.backup.PostgresConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupMetricsTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void recordsSuccessesAndFailures() {
        BackupMetrics metrics = new BackupMetrics(registry);
        assertThat(gauge(BackupMetrics.LAST_SUCCESS)).isNaN();
        assertThat(gauge(BackupMetrics.CONSECUTIVE_FAILURES)).isZero();

        metrics.onFailure(new BackupException(BackupException.Reason.AUTHENTICATION, "nope"), Duration.ofMillis(80));
        metrics.onFailure(new BackupException(BackupException.Reason.DISK_FULL, "full"), Duration.ofMillis(900));
        metrics.onFailure(new BackupException(BackupException.Reason.DISK_FULL, "full"), Duration.ofMillis(900));

        assertThat(gauge(BackupMetrics.CONSECUTIVE_FAILURES)).isEqualTo(3);
        assertThat(registry.get(BackupMetrics.FAILURES)
                        .tag("reason", "disk_full")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get(BackupMetrics.FAILURES)
                        .tag("reason", "authentication")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(BackupMetrics.RUNS)
                        .tag("outcome", "failure")
                        .timer()
                        .count())
                .isEqualTo(3);

        Instant started = Instant.parse("2026-01-01T02:00:00Z");
        metrics.onSuccess(new BackupResult(
                new BackupFile(dir.resolve("db_backup_20260101_020000.dump"), started, BackupFormat.CUSTOM, 12_345),
                Duration.ofSeconds(42),
                null,
                "14.22",
                "15.18",
                List.of()));

        assertThat(gauge(BackupMetrics.CONSECUTIVE_FAILURES)).isZero();
        assertThat(registry.get(BackupMetrics.LAST_SUCCESS).timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(started.getEpochSecond());
        assertThat(gauge(BackupMetrics.LAST_SIZE)).isEqualTo(12_345);
        assertThat(registry.get(BackupMetrics.LAST_DURATION).timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(42);
        assertThat(registry.get(BackupMetrics.RUNS)
                        .tag("outcome", "success")
                        .timer()
                        .totalTime(TimeUnit.SECONDS))
                .isEqualTo(42);
    }

    @Test
    void monitorStartsFromTheNewestBackupOnDisk() throws Exception {
        Files.writeString(dir.resolve("db_backup_20251231_020000.dump"), "older");
        Files.writeString(dir.resolve("db_backup_20260101_020000.sql.gz"), "newest");
        BackupJob job = BackupJob.builder()
                .connection(PostgresConnection.builder().database("app").build())
                .directory(dir)
                .build();

        new BackupMetrics(registry).monitor(job);

        assertThat(registry.get(BackupMetrics.LAST_SUCCESS).timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(Instant.parse("2026-01-01T02:00:00Z").getEpochSecond());
        assertThat(gauge(BackupMetrics.LAST_SIZE)).isEqualTo(6);
    }
}
