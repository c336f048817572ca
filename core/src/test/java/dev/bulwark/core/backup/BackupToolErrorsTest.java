package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.FakeTimeSource;
import dev.bulwark.core.backup.BackupException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of the client tools, provoked with shell scripts standing in for pg_dump and psql: every failing run leaves
 * no new file, keeps the old ones and says what to do.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "fake client tools are POSIX shell scripts")
class BackupToolErrorsTest {

    @TempDir
    Path tmp;

    private Path backups;
    private FakeTools tools;
    private final FakeTimeSource clock = new FakeTimeSource();
    private List<String> old;

    @BeforeEach
    void setUp() throws Exception {
        backups = tmp.resolve("backups");
        Files.createDirectories(backups);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        tools = new FakeTools(bin);
        // three old backups: 1, 2 and 30 days old (the last one past the 7-day retention)
        old = List.of(
                BackupDirectory.backupName(clock.now().minus(Duration.ofDays(1)), BackupFormat.PLAIN_GZIP),
                BackupDirectory.backupName(clock.now().minus(Duration.ofDays(2)), BackupFormat.CUSTOM),
                BackupDirectory.backupName(clock.now().minus(Duration.ofDays(30)), BackupFormat.CUSTOM));
        for (String name : old) {
            Files.writeString(backups.resolve(name), "an old backup");
        }
    }

    private void assertNothingChanged() throws Exception {
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("logs")))
                    .containsExactlyInAnyOrder(old.get(0), old.get(1), old.get(2), BackupDirectory.LOCK_FILE);
        }
    }

    @Test
    void missingPgDumpNamesThePackageToInstall() throws Exception {
        Path missing = tmp.resolve("no/such/bin/pg_dump");
        BackupJob job = tools.job(backups)
                .format(BackupFormat.CUSTOM)
                .pgDump(missing.toString())
                .timeSource(clock)
                .build();

        assertThatThrownBy(job::run)
                .isInstanceOf(BackupException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CLIENT_MISSING)
                .hasMessage("pg_dump not found at " + missing + ": install the PostgreSQL client tools (Debian/Ubuntu:"
                        + " apt-get install postgresql-client; Alpine: apk add postgresql-client; RHEL/Fedora: dnf"
                        + " install postgresql), or set the pg_dump path");
        assertNothingChanged();

        BackupJob onPath =
                tools.job(backups).pgDump("pg_dump-not-installed-here").build();
        assertThatThrownBy(onPath::run)
                .hasMessageStartingWith(
                        "pg_dump not found on the PATH: install the PostgreSQL client tools (Debian/Ubuntu:"
                                + " apt-get install postgresql-client;");
    }

    @Test
    void versionMismatchReportedByPgDumpIsExplained() throws Exception {
        tools.pgDump("""
                echo "pg_dump: error: aborting because of server version mismatch" >&2
                echo "pg_dump: detail: server version: 16.4 (Debian 16.4-1.pgdg120+2); pg_dump version: 15.18 (Debian 15.18-0+deb12u1)" >&2
                exit 1
                """);
        BackupJob job = tools.job(backups).timeSource(clock).build();

        assertThatThrownBy(job::run)
                .isInstanceOf(BackupException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.VERSION_MISMATCH)
                .hasMessage("PostgreSQL server 16.4 (Debian 16.4-1.pgdg120+2) is newer than pg_dump 15.18 (Debian"
                        + " 15.18-0+deb12u1), which refuses to dump a newer server: install the client tools of"
                        + " version 16 or newer (Debian/Ubuntu: postgresql-client-16 from apt.postgresql.org) and point"
                        + " the pg_dump path at them");
        assertNothingChanged();
    }

    @Test
    void olderPgDumpMessageFormatIsRecognisedToo() {
        // PostgreSQL 14 and older print the versions first, on an error line
        tools.pgDump("""
                echo "pg_dump: error: server version: 15.2; pg_dump version: 14.11" >&2
                echo "pg_dump: error: aborting because of server version mismatch" >&2
                exit 1
                """);

        assertThatThrownBy(tools.job(backups).build()::run)
                .hasFieldOrPropertyWithValue("reason", Reason.VERSION_MISMATCH)
                .hasMessageStartingWith("PostgreSQL server 15.2 is newer than pg_dump 14.11, which refuses to dump a"
                        + " newer server: install the client tools of version 15 or newer");
    }

    @Test
    void serverNewerThanPgDumpIsRefusedBeforeDumping() throws Exception {
        tools.psql("160004|16.4 (Debian 16.4-1.pgdg120+2)");
        Path marker = tmp.resolve("pg_dump-was-run");
        tools.pgDump("touch '" + marker + "'\n");

        assertThatThrownBy(tools.job(backups).timeSource(clock).build()::run)
                .hasFieldOrPropertyWithValue("reason", Reason.VERSION_MISMATCH)
                .hasMessageStartingWith("PostgreSQL server 16.4 is newer than pg_dump 15.18, which refuses");
        assertThat(marker).doesNotExist();
        assertNothingChanged();
    }

    @Test
    void failedDumpIsNeverMistakenForABackupAlthoughGzipSucceeded() throws Exception {
        // the seed's `pg_dump | gzip > file` reports gzip's status: this run would have looked fine
        tools.pgDump("""
                echo "--"
                echo "-- PostgreSQL database dump"
                echo "CREATE TABLE public.t (id integer);"
                echo "pg_dump: error: Dumping the contents of table \\"t\\" failed: PQgetResult() failed." >&2
                echo "pg_dump: detail: Error message from server: ERROR:  could not read block 7 in file \\"base/16384/16385\\"" >&2
                exit 1
                """);
        BackupJob job = tools.job(backups).timeSource(clock).build();

        assertThatThrownBy(job::run)
                .hasFieldOrPropertyWithValue("reason", Reason.DUMP_FAILED)
                .hasMessage("pg_dump failed (exit status 1) during the dump of app@db.internal:5432/app: pg_dump:"
                        + " error: Dumping the contents of table \"t\" failed: PQgetResult() failed.; pg_dump: detail:"
                        + " Error message from server: ERROR:  could not read block 7 in file \"base/16384/16385\"");
        assertNothingChanged();
        assertThat(job.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void dumpWithoutItsCompletionTrailerFailsVerification() throws Exception {
        tools.pgDump("echo '-- PostgreSQL database dump'\necho 'CREATE TABLE public.t (id integer);'\n");

        assertThatThrownBy(tools.job(backups).timeSource(clock).build()::run)
                .hasFieldOrPropertyWithValue("reason", Reason.VERIFY_FAILED)
                .hasMessageEndingWith(".sql.gz.partial does not end with pg_dump's 'PostgreSQL database dump complete'"
                        + " line: the dump is incomplete");
        assertNothingChanged();
    }

    @Test
    void fullDiskIsReportedAsSuch() throws Exception {
        tools.pgDump("echo 'pg_dump: error: could not write to output file: No space left on device' >&2\nexit 1\n");

        assertThatThrownBy(tools.job(backups).timeSource(clock).build()::run)
                .hasFieldOrPropertyWithValue("reason", Reason.DISK_FULL)
                .hasMessage("disk full: no space left on device during the dump of app@db.internal:5432/app; free"
                        + " space or move the backup directory to a larger volume (old backups were kept)");
        assertNothingChanged();
    }

    @Test
    void hungDumpIsStoppedAtTheTimeout() throws Exception {
        tools.pgDump("exec sleep 30\n");
        BackupJob job = tools.job(backups).timeout(Duration.ofSeconds(1)).build();

        long start = System.nanoTime();
        assertThatThrownBy(job::run)
                .hasFieldOrPropertyWithValue("reason", Reason.TIMEOUT)
                .hasMessage("pg_dump did not finish within 1.0 s and was stopped; raise the backup timeout or check the"
                        + " database's load");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertNothingChanged();
    }

    @Test
    void neverTwoRunsAtOnce() throws Exception {
        tools.succeedingPgDump(1.5);
        BackupJob job = tools.job(backups).build();
        BackupJob sameDirectory = tools.job(backups).build();

        CompletableFuture<BackupResult> first = CompletableFuture.supplyAsync(job::run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!job.isRunning() || tempFiles().isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }

        assertThatThrownBy(job::run)
                .hasFieldOrPropertyWithValue("reason", Reason.ALREADY_RUNNING)
                .hasMessageStartingWith("a backup into " + backups + " is already running (started ");
        assertThatThrownBy(sameDirectory::run)
                .hasFieldOrPropertyWithValue("reason", Reason.ALREADY_RUNNING)
                .hasMessage("another backup into " + backups + " is running (.bulwark-backup.lock is locked); skipped");

        BackupResult result = first.get(20, TimeUnit.SECONDS);
        assertThat(result.file().path()).exists();
        assertThat(job.consecutiveFailures()).isZero(); // a skipped run is not a failure
        assertThat(sameDirectory.consecutiveFailures()).isZero();
    }

    @Test
    void successfulRunRemovesTheLeftoverOfACrashedRunAndPrunes() throws Exception {
        tools.succeedingPgDump(0);
        Path leftover = backups.resolve(".db_backup_20251231_020000.dump.partial");
        Files.writeString(leftover, "half a dump");
        Path unrelated = backups.resolve("notes.txt");
        Files.writeString(unrelated, "not ours");

        BackupResult result = tools.job(backups).timeSource(clock).build().run();

        assertThat(leftover).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(result.pruned()).containsExactly(backups.resolve(old.get(2)));
        assertThat(result.file().name()).isEqualTo("db_backup_20260101_000000.sql.gz");
        assertThat(Files.readString(result.logFile()))
                .contains("WARNING: Deleted the temporary file of an interrupted run: " + leftover.getFileName())
                .contains("Deleted old backup: " + old.get(2));
    }

    @Test
    void twoRunsInOneSecondGetDistinctNames() throws Exception {
        tools.succeedingPgDump(0);
        BackupJob job = tools.job(backups).timeSource(clock).build();

        BackupFile first = job.run().file();
        BackupFile second = job.run().file();

        assertThat(first.name()).isEqualTo("db_backup_20260101_000000.sql.gz");
        assertThat(second.name()).isEqualTo("db_backup_20260101_000001.sql.gz");
        assertThat(job.latest()).contains(second);
    }

    private List<Path> tempFiles() throws Exception {
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
    }
}
