package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.bulwark.core.FakeTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler driven by a fake clock; the job runs fake client tools. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "fake client tools are POSIX shell scripts")
class BackupSchedulerTest {

    private static final BackupSchedule TWO_AM_PARIS = BackupSchedule.daily("02:00", ZoneId.of("Europe/Paris"));

    @TempDir
    Path tmp;

    private final FakeTimeSource clock = new FakeTimeSource(); // 2026-01-01T00:00:00Z = 01:00 in Paris
    private FakeTools tools;

    @BeforeEach
    void setUp() throws Exception {
        tools = new FakeTools(Files.createDirectories(tmp.resolve("bin")));
        tools.succeedingPgDump(0);
    }

    @Test
    void runsWhenTheClockReachesTheNextRunThenSchedulesTheFollowingOne() throws Exception {
        BackupJob job = tools.job(tmp.resolve("backups")).timeSource(clock).build();
        BackupScheduler scheduler = BackupScheduler.create(job, TWO_AM_PARIS);
        assertThat(scheduler.nextRun()).isEqualTo("2026-01-01T01:00:00Z");

        clock.advance(Duration.ofMinutes(59));
        assertThat(scheduler.tick()).isFalse();
        assertThat(job.list()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.tick()).isTrue();
        assertThat(job.list()).extracting(BackupFile::name).containsExactly("db_backup_20260101_010000.sql.gz");
        assertThat(scheduler.nextRun()).isEqualTo("2026-01-02T01:00:00Z");
        assertThat(scheduler.tick()).isFalse();
    }

    @Test
    void aMissedSlotIsNotRunTwice() {
        BackupJob job = tools.job(tmp.resolve("backups")).timeSource(clock).build();
        BackupScheduler scheduler = BackupScheduler.create(job, TWO_AM_PARIS);

        clock.advance(Duration.ofDays(3)); // the machine slept through three runs

        assertThat(scheduler.tick()).isTrue();
        assertThat(scheduler.tick()).isFalse();
        assertThat(job.list()).hasSize(1);
        assertThat(scheduler.nextRun()).isEqualTo("2026-01-04T01:00:00Z");
    }

    @Test
    void aFailedRunIsCountedAndTheScheduleGoesOn() {
        BackupJob job = tools.job(tmp.resolve("backups"))
                .pgDump(tmp.resolve("missing/pg_dump").toString())
                .timeSource(clock)
                .build();
        BackupScheduler scheduler = BackupScheduler.create(job, TWO_AM_PARIS);

        clock.advance(Duration.ofHours(1));
        assertThat(scheduler.tick()).isTrue();

        assertThat(job.consecutiveFailures()).isEqualTo(1);
        assertThat(job.lastFailure())
                .get()
                .extracting(BackupException::reason)
                .isEqualTo(BackupException.Reason.CLIENT_MISSING);
        assertThat(scheduler.nextRun()).isEqualTo("2026-01-02T01:00:00Z");
    }

    @Test
    void startsOnceAndClosesIdempotently() {
        BackupJob job = tools.job(tmp.resolve("backups")).build();
        BackupScheduler scheduler = BackupScheduler.start(job, TWO_AM_PARIS);
        try {
            assertThat(scheduler.isStarted()).isTrue();
            assertThat(scheduler.nextRun()).isAfter(Instant.now());
            assertThatIllegalStateException()
                    .isThrownBy(scheduler::start)
                    .withMessage("backup scheduler is already started");
        } finally {
            scheduler.close();
        }
        scheduler.close();
        assertThat(scheduler.isStarted()).isFalse();
        assertThatIllegalStateException()
                .isThrownBy(scheduler::start)
                .withMessage("backup scheduler is closed; create a new one");
    }
}
