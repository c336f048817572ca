package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.FakeTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backups of a real PostgreSQL 14 (embedded) with the machine's pg_dump, pg_restore and psql (PostgreSQL 15, from
 * the OS package postgresql-client); skipped with a message when those tools are not installed.
 */
class BackupPostgresTest {

    private static final String SOURCE = "app";
    private static final List<String> TABLES = List.of("customers", "orders");

    @TempDir
    Path dir;

    private static TestPostgres pg;

    @BeforeAll
    static void startPostgres() {
        TestPostgres.assumeClientTools();
        pg = TestPostgres.shared();
        if (!exists(SOURCE)) {
            pg.execute("postgres", "create database " + SOURCE);
            pg.execute(SOURCE, """
                    create table customers (
                        id serial primary key,
                        name text not null,
                        email text unique,
                        balance numeric(12, 2),
                        profile jsonb,
                        avatar bytea,
                        created timestamptz not null default now());
                    create table orders (
                        id bigserial primary key,
                        customer_id int not null references customers (id),
                        total numeric(12, 2) not null,
                        note text);
                    create index orders_customer on orders (customer_id);
                    create view big_spenders as select c.name, sum(o.total) as spent
                        from customers c join orders o on o.customer_id = c.id group by c.name;
                    insert into customers (name, email, balance, profile, avatar)
                        select 'customer ' || i || case when i % 7 = 0 then ' Zoë ✓' else '' end,
                               case when i % 5 = 0 then null else 'c' || i || '@example.com' end,
                               i * 1.25,
                               jsonb_build_object('tier', i % 3, 'tags', jsonb_build_array('a', i)),
                               decode(md5(i::text), 'hex')
                        from generate_series(1, 2000) i;
                    insert into orders (customer_id, total, note)
                        select 1 + (i % 2000), (i % 97) * 3.5, case when i % 3 = 0 then E'line1\\nline2\\ttab' end
                        from generate_series(1, 5000) i;
                    """);
        }
    }

    private static boolean exists(String db) {
        try {
            return pg.databaseExists(db);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private BackupJob.Builder job(BackupFormat format) {
        return BackupJob.builder()
                .connection(pg.connection(SOURCE))
                .directory(dir)
                .format(format)
                .timeout(Duration.ofSeconds(60));
    }

    private static String freshName(String prefix) {
        return prefix + "_" + Long.toHexString(System.nanoTime());
    }

    @ParameterizedTest
    @EnumSource(BackupFormat.class)
    void backupVerifiesAndRestoresIntoANewDatabaseWithEqualData(BackupFormat format) throws Exception {
        BackupJob job = job(format).build();

        BackupResult result = job.run();

        BackupFile file = result.file();
        assertThat(file.name())
                .matches("db_backup_\\d{8}_\\d{6}" + format.extension().replace(".", "\\."));
        assertThat(file.format()).isEqualTo(format);
        assertThat(file.size()).isPositive().isEqualTo(Files.size(file.path()));
        assertThat(result.serverVersion()).startsWith("14.");
        assertThat(result.clientVersion()).matches("\\d+\\.\\d+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(file.name(), "logs", BackupDirectory.LOCK_FILE);
        }
        assertThat(job.list()).containsExactly(file);
        assertThat(job.consecutiveFailures()).isZero();

        // the seed's log layout: one file per run, timestamped lines
        assertThat(result.logFile()).isNotNull();
        String log = Files.readString(result.logFile());
        assertThat(result.logFile().getFileName().toString()).matches("backup_\\d{8}_\\d{6}\\.log");
        assertThat(log)
                .contains(" - Starting database backup of postgres@localhost:" + pg.port() + "/app")
                .contains(" - Successfully connected to database (PostgreSQL 14.")
                .contains(" - Backup completed successfully")
                .contains(" - Backup size: ")
                .contains(" - Cleaning up old backups")
                .doesNotContain(TestPostgres.PASSWORD);

        job.verify(file.path());

        String restored = freshName("restored_" + format.name().toLowerCase());
        job.restore(file.path(), restored);

        for (String table : TABLES) {
            assertThat(pg.rows(restored, table)).hasSizeGreaterThan(1000).isEqualTo(pg.rows(SOURCE, table));
        }
        assertThat(pg.rows(restored, "big_spenders")).isEqualTo(pg.rows(SOURCE, "big_spenders"));
        try (Connection c = pg.jdbc(restored);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select nextval('customers_id_seq')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2001); // sequences restored too
        }
    }

    @Test
    void restoreRefusesAnExistingDatabaseAndLeavesItUntouched() throws Exception {
        BackupJob job = job(BackupFormat.CUSTOM).build();
        BackupFile file = job.run().file();
        String existing = freshName("existing");
        pg.execute("postgres", "create database " + existing);
        pg.execute(existing, "create table keep_me (id int); insert into keep_me values (42)");

        assertThatThrownBy(() -> job.restore(file.path(), existing))
                .isInstanceOf(BackupException.class)
                .hasFieldOrPropertyWithValue("reason", BackupException.Reason.DATABASE_EXISTS)
                .hasMessage("database '" + existing + "' already exists on localhost:" + pg.port()
                        + ": restore only into a new database; choose another name (the existing database was not"
                        + " touched)");
        assertThat(pg.rows(existing, "keep_me")).containsExactly(List.of("42"));
        assertThatThrownBy(() -> job.restore(file.path(), "bad name; drop database app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("restore database name must start with a letter or _");
    }

    @Test
    void wrongPasswordFailsClearlyLeavesNoNewFileAndKeepsOldBackups() throws Exception {
        FakeTimeSource clock = new FakeTimeSource();
        List<Path> old = oldBackups(clock.now(), 10);
        BackupJob job = job(BackupFormat.CUSTOM)
                .connection(pg.connection(SOURCE).toBuilder().password("wrong").build())
                .timeSource(clock)
                .build();

        assertThatThrownBy(job::run)
                .isInstanceOf(BackupException.class)
                .hasFieldOrPropertyWithValue("reason", BackupException.Reason.AUTHENTICATION)
                .hasMessageStartingWith("authentication failed for user 'postgres' at localhost:" + pg.port()
                        + ": check the password (PGPASSWORD, bulwark.backup.password or ~/.pgpass) and the server's"
                        + " pg_hba.conf; psql said: ")
                .hasMessageContaining("password authentication failed for user \"postgres\"")
                .message()
                .doesNotContain("wrong");

        assertThat(backupNames()).containsExactlyInAnyOrderElementsOf(names(old));
        assertThat(job.consecutiveFailures()).isEqualTo(1);
        assertThat(job.lastFailure())
                .get()
                .extracting(BackupException::reason)
                .isEqualTo(BackupException.Reason.AUTHENTICATION);
        try (Stream<Path> logs = Files.list(dir.resolve("logs"))) {
            String log = Files.readString(logs.findFirst().orElseThrow());
            assertThat(log)
                    .contains("ERROR: Backup failed: authentication failed")
                    .contains("Old backups were kept");
        }
    }

    @Test
    void serverStoppedMidwayLeavesNoNewFileAndKeepsOldBackups() throws Exception {
        TestPostgres own = TestPostgres.start(false);
        try {
            own.execute("postgres", "create table big as select i, md5(i::text) as h from generate_series(1, 10000) i");
            FakeTimeSource clock = new FakeTimeSource();
            List<Path> old = oldBackups(clock.now(), 10);
            BackupJob job = BackupJob.builder()
                    .connection(PostgresConnection.builder()
                            .port(own.port())
                            .database("postgres")
                            .user("postgres")
                            .build())
                    .directory(dir)
                    .timeSource(clock)
                    .timeout(Duration.ofSeconds(60))
                    .build();

            // hold a lock so that pg_dump, once connected and started, waits on the big table; then stop the server
            Connection locker = java.sql.DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + own.port() + "/postgres", "postgres", "");
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("lock table big in access exclusive mode");
            }
            CompletableFuture<BackupResult> run = CompletableFuture.supplyAsync(job::run);
            waitForBlockedDump(own);
            assertThat(tempFiles()).hasSize(1); // the dump had started writing
            own.close();

            assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(BackupException.class)
                    .hasFieldOrPropertyWithValue("reason", BackupException.Reason.CONNECTION)
                    .hasMessageStartingWith("connection to localhost:" + own.port() + " failed during the dump of"
                            + " postgres@localhost:" + own.port() + "/postgres: ");
            assertThat(backupNames()).containsExactlyInAnyOrderElementsOf(names(old));
            assertThat(tempFiles()).isEmpty();
        } finally {
            own.close();
        }
    }

    private static void waitForBlockedDump(TestPostgres server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Connection c = java.sql.DriverManager.getConnection(
                            "jdbc:postgresql://localhost:" + server.port() + "/postgres", "postgres", "");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where application_name = '"
                            + BackupJob.APPLICATION_NAME + "' and wait_event_type = 'Lock'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("pg_dump never started waiting on the lock");
    }

    @Test
    void retentionRunsOnlyAfterASuccessfulBackup() throws Exception {
        FakeTimeSource clock = new FakeTimeSource();
        List<Path> old = oldBackups(clock.now(), 12); // one a day, 1..12 days old
        BackupJob job = job(BackupFormat.CUSTOM).timeSource(clock).build();

        BackupResult result = job.run();

        // 7 days: the backups 1..7 days old stay (7 days old is exactly at the limit), 8..12 go
        assertThat(result.pruned()).hasSize(5).allMatch(p -> !Files.exists(p));
        assertThat(backupNames()).hasSize(8).contains(result.file().name()).containsAll(names(old.subList(0, 7)));
        assertThat(result.file().time()).isEqualTo(clock.now());
    }

    @Test
    void commandRunsListsVerifiesAndRestores() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", "localhost");
        env.put("PGPORT", Integer.toString(pg.port()));
        env.put("PGUSER", TestPostgres.USER);
        env.put("PGPASSWORD", TestPostgres.PASSWORD);
        env.put("PGDATABASE", SOURCE);
        env.put(BackupCommand.DIR_ENV, dir.toString());

        assertThat(command(env, "run", "--format", "plain")).isEqualTo(0);
        assertThat(out()).contains("Successfully connected to database").contains("backup written: " + dir);
        Path file = Files.list(dir)
                .filter(p -> p.toString().endsWith(".sql.gz"))
                .findFirst()
                .orElseThrow();

        assertThat(command(env, "backup", "list")).isEqualTo(0);
        assertThat(out()).contains(file.getFileName().toString()).contains("1 backup(s) in " + dir);

        assertThat(command(Map.of(), "verify", file.toString())).isEqualTo(0);
        assertThat(out()).contains("ok: " + file + " is a complete backup");

        String target = freshName("from_command");
        assertThat(command(env, "restore", file.toString(), "--into", target)).isEqualTo(2);
        assertThat(err()).contains("add --yes");
        assertThat(pg.databaseExists(target)).isFalse();

        assertThat(command(env, "restore", file.toString(), "--into", target, "--yes"))
                .isEqualTo(0);
        assertThat(pg.rows(target, "orders")).isEqualTo(pg.rows(SOURCE, "orders"));

        assertThat(command(env, "restore", file.toString(), "--into", target, "--yes"))
                .isEqualTo(1);
        assertThat(err()).contains("error: database '" + target + "' already exists");
    }

    // ------------------------------------------------------------------------------------------------------- helpers

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int command(Map<String, String> env, String... args) {
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

    /** Creates {@code count} fake backups, 1..count days before {@code now}, newest first. */
    private List<Path> oldBackups(Instant now, int count) throws Exception {
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Path p = dir.resolve(BackupDirectory.backupName(now.minus(Duration.ofDays(i)), BackupFormat.CUSTOM));
            Files.writeString(p, "old backup " + i);
            files.add(p);
        }
        return files;
    }

    private List<String> backupNames() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("db_backup_"))
                    .toList();
        }
    }

    private List<Path> tempFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }
}
