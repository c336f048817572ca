package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command's usage and the parts that need no server; runs against PostgreSQL are in BackupPostgresTest. */
class BackupCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return BackupCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                    | error: missing command",
                "frobnicate                            | error: unknown command 'frobnicate'",
                "run --frobnicate 1                    | error: unknown option --frobnicate",
                "run --dir                             | error: --dir needs a value",
                "run --dir a --dir b                   | error: --dir is given twice",
                "run extra                             | error: run takes no file",
                "verify                                | error: verify takes one backup file",
                "list --yes                            | error: --into and --yes belong to restore",
                "run --format tar --dir x              | error: backup format must be custom (pg_dump -Fc) or plain (SQL, gzipped): 'tar'",
                "run --keep-days 7 --keep-daily 7 --dir x | error: --keep-days and --keep-daily/--keep-weekly/--keep-monthly exclude each other: choose one rule",
                "run --keep-days seven --dir x         | error: --keep-days must be a whole number: 'seven'",
                "run --timeout soon --dir x            | error: --timeout must be a duration such as 90m, 6h or PT6H: 'soon'",
                "run                                   | error: no backup directory: give --dir DIR or set BULWARK_BACKUP_DIR (a volume that outlives the server)",
                "run --dir x --url jdbc:mysql://h/db   | error: backup url must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/app: 'jdbc:mysql://h/db'",
                "run --dir x --url jdbc:postgresql://h/db?user=u&password=hunter2 | error: --url must not carry a password (any local user can read a command line): set PGPASSWORD or use ~/.pgpass",
            })
    void usageErrorsExitWithTwo(String args, String message) {
        String[] argv = args.isEmpty() ? new String[0] : args.split(" ");

        assertThat(run(Map.of("PGDATABASE", "app"), argv)).isEqualTo(BackupCommand.USAGE);

        assertThat(err()).startsWith(message + System.lineSeparator()).contains("usage: java -cp bulwark-core.jar");
        assertThat(err()).doesNotContain("hunter2");
    }

    @Test
    void runWithoutADatabaseSaysWhichVariablesToSet() {
        assertThat(run(Map.of(BackupCommand.DIR_ENV, dir.toString()), "run")).isEqualTo(2);
        assertThat(err())
                .startsWith("error: no database to back up: set PGDATABASE (and PGHOST, PGPORT, PGUSER) or --url");
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).contains("restore FILE --into DB --yes").contains("--keep-daily N");
        assertThat(run(Map.of(), "help")).isZero();
    }

    @Test
    void listOfAnEmptyOrMissingDirectory() {
        assertThat(run(Map.of(BackupCommand.DIR_ENV, dir.resolve("none").toString()), "list"))
                .isZero();
        assertThat(out()).isEqualTo("no backups in " + dir.resolve("none") + System.lineSeparator());
    }

    @Test
    void listShowsBackupsNewestFirst() throws Exception {
        Files.writeString(dir.resolve("db_backup_20251230_020000.dump"), "x");
        Files.writeString(dir.resolve("db_backup_20251231_020000.sql.gz"), "xy");
        Files.writeString(dir.resolve("something_else.dump"), "ignored");

        assertThat(run(Map.of(), "backup", "list", "--dir", dir.toString())).isZero();

        String[] lines = out().split(System.lineSeparator());
        assertThat(lines).hasSize(3);
        assertThat(lines[0])
                .startsWith("db_backup_20251231_020000.sql.gz")
                .contains("2 B")
                .contains("2025-12-31T02:00:00Z");
        assertThat(lines[1]).startsWith("db_backup_20251230_020000.dump");
        assertThat(lines[2]).isEqualTo("2 backup(s) in " + dir + "; newest db_backup_20251231_020000.sql.gz");
    }

    @Test
    void verifyOfATruncatedGzipFails() throws Exception {
        Path file =
                dir.resolve(BackupDirectory.backupName(Instant.parse("2026-01-01T02:00:00Z"), BackupFormat.PLAIN_GZIP));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(FakeTools.PLAIN_DUMP.getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = gz.toByteArray();
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 12));

        assertThat(run(Map.of(), "verify", file.toString())).isEqualTo(BackupCommand.ERROR);
        assertThat(err())
                .isEqualTo("error: backup file " + file.getFileName() + " is not a complete gzip file: Unexpected end"
                        + " of ZLIB input stream" + System.lineSeparator());

        Files.write(file, bytes);
        assertThat(run(Map.of(), "verify", file.toString())).isZero();
        assertThat(out()).contains("ok: " + file + " is a complete backup");
    }

    @Test
    void verifyOfSomethingElse() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello");
        assertThat(run(Map.of(), "verify", file.toString())).isEqualTo(1);
        assertThat(err())
                .startsWith("error: not a backup file: " + file
                        + " is neither a pg_dump custom-format archive nor gzipped SQL");
        assertThat(run(Map.of(), "verify", dir.resolve("missing.dump").toString()))
                .isEqualTo(1);
        assertThat(err()).startsWith("error: no such backup file: " + dir.resolve("missing.dump"));
    }

    @Test
    void restoreNeedsATargetAndConfirmation() throws Exception {
        Path file = dir.resolve("db_backup_20260101_020000.sql.gz");
        Files.write(file, new byte[] {0x1f, (byte) 0x8b});
        Map<String, String> env = Map.of("PGDATABASE", "app", "PGHOST", "db.internal");

        assertThat(run(env, "restore", file.toString())).isEqualTo(2);
        assertThat(err()).startsWith("error: restore needs --into NEW_DATABASE");

        assertThat(run(env, "restore", file.toString(), "--into", "app_copy")).isEqualTo(2);
        assertThat(err())
                .isEqualTo("error: restore would create database 'app_copy' on db.internal:5432 and load " + file
                        + " into it; add --yes to do it" + System.lineSeparator());
    }
}
