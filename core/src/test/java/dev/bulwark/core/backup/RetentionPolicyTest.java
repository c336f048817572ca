package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.FakeTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on real files in a temporary directory, with a fake clock. */
class RetentionPolicyTest {

    @TempDir
    Path dir;

    private final FakeTimeSource clock = new FakeTimeSource(); // 2026-01-01T00:00:00Z

    /** Creates a backup every day at 02:00 UTC from {@code first} to {@code last}. */
    private void dailyBackups(LocalDate first, LocalDate last) throws Exception {
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            Instant t = d.atTime(2, 0).toInstant(ZoneOffset.UTC);
            Files.writeString(dir.resolve(BackupDirectory.backupName(t, BackupFormat.CUSTOM)), "backup " + d);
        }
    }

    private BackupJob job(RetentionPolicy retention) {
        return BackupJob.builder()
                .connection(PostgresConnection.builder().database("app").build())
                .directory(dir)
                .retention(retention)
                .timeSource(clock)
                .build();
    }

    private List<String> remainingDates() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("db_backup_"))
                    .map(n -> n.substring(10, 14) + "-" + n.substring(14, 16) + "-" + n.substring(16, 18))
                    .sorted()
                    .toList();
        }
    }

    private void advanceTo(Instant t) {
        clock.advance(Duration.between(clock.now(), t));
    }

    @Test
    void sevenDaysKeepsTheBackupsOfTheLastSevenDays() throws Exception {
        dailyBackups(LocalDate.parse("2025-12-01"), LocalDate.parse("2026-01-20"));
        advanceTo(Instant.parse("2026-01-20T03:00:00Z"));

        List<Path> pruned = job(RetentionPolicy.defaults()).pruneNow();

        assertThat(remainingDates())
                .containsExactly(
                        "2026-01-14",
                        "2026-01-15",
                        "2026-01-16",
                        "2026-01-17",
                        "2026-01-18",
                        "2026-01-19",
                        "2026-01-20");
        assertThat(pruned).hasSize(44);
    }

    @Test
    void theNewestBackupIsNeverPrunedEvenWhenBackupsStoppedLongAgo() throws Exception {
        dailyBackups(LocalDate.parse("2025-11-01"), LocalDate.parse("2025-11-10"));
        advanceTo(Instant.parse("2026-01-20T03:00:00Z"));

        job(RetentionPolicy.days(7)).pruneNow();

        assertThat(remainingDates()).containsExactly("2025-11-10");
    }

    @Test
    void grandfatherFatherSonKeepsSevenDailyFourWeeklySixMonthly() throws Exception {
        dailyBackups(LocalDate.parse("2025-01-01"), LocalDate.parse("2026-03-15")); // 439 backups
        advanceTo(Instant.parse("2026-03-15T03:00:00Z"));

        List<Path> pruned = job(RetentionPolicy.gfs(7, 4, 6)).pruneNow();

        assertThat(remainingDates())
                .containsExactly(
                        // monthly (M): the newest of each of the 6 months before March (kept by daily)
                        // weekly (W): the newest (a Sunday) of each of the 4 ISO weeks before the current one
                        // daily (D): the 7 most recent days
                        "2025-09-30", // M
                        "2025-10-31", // M
                        "2025-11-30", // M
                        "2025-12-31", // M
                        "2026-01-31", // M
                        "2026-02-15", // W
                        "2026-02-22", // W
                        "2026-02-28", // M
                        "2026-03-01", // W
                        "2026-03-08", // W
                        "2026-03-09", // D
                        "2026-03-10", // D
                        "2026-03-11", // D
                        "2026-03-12", // D
                        "2026-03-13", // D
                        "2026-03-14", // D
                        "2026-03-15"); // D
        assertThat(pruned).hasSize(439 - 17);
    }

    @Test
    void grandfatherFatherSonCountsPeriodsThatHaveBackupsNotCalendarTime() throws Exception {
        // backups stopped on 2025-12-10; a backup succeeds again a month later
        dailyBackups(LocalDate.parse("2025-11-25"), LocalDate.parse("2025-12-10"));
        dailyBackups(LocalDate.parse("2026-01-10"), LocalDate.parse("2026-01-10"));
        advanceTo(Instant.parse("2026-01-10T03:00:00Z"));

        job(RetentionPolicy.gfs(7, 0, 0)).pruneNow();

        // a calendar rule would keep only 2026-01-10; the 6 most recent days with backups before it survive
        assertThat(remainingDates())
                .containsExactly(
                        "2025-12-05",
                        "2025-12-06",
                        "2025-12-07",
                        "2025-12-08",
                        "2025-12-09",
                        "2025-12-10",
                        "2026-01-10");
    }

    @Test
    void grandfatherFatherSonCountsDaysInItsZone() {
        // 23:30 UTC on Feb 28 is already March 1 in Paris
        List<BackupFile> backups =
                List.of(file("2026-02-28T23:30:00Z"), file("2026-02-28T10:00:00Z"), file("2026-03-01T10:00:00Z"));
        Instant now = Instant.parse("2026-03-01T12:00:00Z");

        assertThat(RetentionPolicy.gfs(1, 0, 0).prunable(backups, now))
                .extracting(f -> f.time().toString())
                .containsExactly("2026-02-28T10:00:00Z", "2026-02-28T23:30:00Z");
        RetentionPolicy paris = RetentionPolicy.gfs(0, 0, 1).toBuilder()
                .zone(ZoneId.of("Europe/Paris"))
                .build();
        assertThat(paris.prunable(backups, now))
                .extracting(f -> f.time().toString())
                .containsExactly("2026-02-28T10:00:00Z", "2026-02-28T23:30:00Z");
        assertThat(RetentionPolicy.gfs(0, 0, 2).prunable(backups, now))
                .extracting(f -> f.time().toString())
                .containsExactly("2026-02-28T10:00:00Z");
    }

    @Test
    void logsArePrunedSeparatelyAfterFourteenDays() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> names = new ArrayList<>();
        for (int days = 1; days <= 20; days++) {
            String name = BackupDirectory.logName(clock.now().minus(Duration.ofDays(days)));
            Files.writeString(logs.resolve(name), "log");
            names.add(name);
        }
        Files.writeString(logs.resolve("cron.log"), "the seed's cron log is not ours");
        dailyBackups(LocalDate.parse("2025-12-01"), LocalDate.parse("2025-12-31"));

        job(RetentionPolicy.keepAll()).pruneNow();

        try (Stream<Path> files = Files.list(logs)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(
                            Stream.concat(names.subList(0, 14).stream(), Stream.of("cron.log"))
                                    .toList());
        }
        assertThat(remainingDates()).hasSize(31); // keep all
    }

    @Test
    void invalidPoliciesAreRejectedWithTheRule() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetentionPolicy.days(0))
                .withMessage("retention days must be between 1 and 36500: 0; use keepAll() to never prune");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetentionPolicy.gfs(0, 0, 0))
                .withMessage("retention must keep at least one daily, weekly or monthly backup: 0, 0, 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetentionPolicy.gfs(7, -1, 6))
                .withMessage("retention weekly count must be between 0 and 36500: -1");
    }

    @Test
    void describesItself() {
        assertThat(RetentionPolicy.defaults()).hasToString("keep 7 days").isEqualTo(RetentionPolicy.days(7));
        assertThat(RetentionPolicy.gfs(7, 4, 6)).hasToString("keep 7 daily, 4 weekly, 6 monthly (Z)");
        assertThat(RetentionPolicy.keepAll()).hasToString("keep all");
        assertThat(RetentionPolicy.gfs(7, 4, 6).keepDays()).isZero();
        assertThat(RetentionPolicy.days(3).keepDays()).isEqualTo(3);
    }

    private static BackupFile file(String time) {
        Instant t = Instant.parse(time);
        return new BackupFile(Path.of(BackupDirectory.backupName(t, BackupFormat.CUSTOM)), t, BackupFormat.CUSTOM, 1);
    }
}
