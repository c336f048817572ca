package dev.bulwark.core.backup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL 14 (embedded, io.zonky.test) shared by the backup tests of one JVM, with password authentication
 * on TCP (scram-sha-256), plus the machine's client tools (PostgreSQL 15 from the OS package {@code
 * postgresql-client}).
 */
final class TestPostgres {

    static final String USER = "postgres";
    static final String PASSWORD = "b4ckup-s3cret";

    private static @Nullable TestPostgres shared;
    private static @Nullable Boolean toolsPresent;

    private final EmbeddedPostgres server;
    private final Path dataDir;

    private TestPostgres(EmbeddedPostgres server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Set to {@code true} (as CI does) to fail instead of skipping when the client tools are missing. */
    static final String REQUIRE_ENV = "BULWARK_REQUIRE_PG_CLIENT";

    /**
     * Skips the calling test, with the reason, when pg_dump, pg_restore or psql is not installed; fails instead when
     * {@value #REQUIRE_ENV} is {@code true}.
     */
    static void assumeClientTools() {
        String message = "PostgreSQL client tools (pg_dump, pg_restore, psql) not found on the PATH: install them with"
                + " 'apt-get install postgresql-client' to run the backup tests against a real server";
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ENV)) && !clientToolsPresent()) {
            throw new AssertionError(message + " (" + REQUIRE_ENV + "=true)");
        }
        assumeTrue(clientToolsPresent(), message);
    }

    static synchronized boolean clientToolsPresent() {
        if (toolsPresent == null) {
            boolean ok = true;
            for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
                try {
                    Process p = new ProcessBuilder(tool, "--version")
                            .redirectErrorStream(true)
                            .start();
                    p.getInputStream().readAllBytes();
                    ok &= p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
                } catch (IOException e) {
                    ok = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ok = false;
                }
            }
            toolsPresent = ok;
        }
        return toolsPresent;
    }

    /** Returns the shared server (started on first use, with password authentication). */
    static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start(true);
        }
        return shared;
    }

    /** Starts a server of its own; {@code passwords} switches TCP authentication to scram-sha-256. */
    static TestPostgres start(boolean passwords) {
        try {
            Path dir = Files.createTempDirectory("bulwark-backup-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    .start();
            TestPostgres t = new TestPostgres(pg, dir);
            if (passwords) {
                t.requirePasswords();
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requirePasswords() {
        execute("postgres", "alter user postgres password '" + PASSWORD + "'", false);
        try {
            Files.writeString(
                    dataDir.resolve("data/pg_hba.conf"),
                    String.join(
                            "\n",
                            "local all all trust",
                            "host all all 127.0.0.1/32 scram-sha-256",
                            "host all all ::1/128 scram-sha-256",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        execute("postgres", "select pg_reload_conf()", false);
    }

    int port() {
        return server.getPort();
    }

    /** Returns a connection for the tools, as {@code postgres} with the right password. */
    PostgresConnection connection(String database) {
        return PostgresConnection.builder()
                .host("localhost")
                .port(port())
                .database(database)
                .user(USER)
                .password(PASSWORD)
                .build();
    }

    Connection jdbc(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + database, USER, PASSWORD);
    }

    void execute(String database, String sql) {
        execute(database, sql, true);
    }

    private void execute(String database, String sql, boolean password) {
        try (Connection c = password
                        ? jdbc(database)
                        : DriverManager.getConnection(
                                "jdbc:postgresql://localhost:" + port() + "/" + database, USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    boolean databaseExists(String name) throws SQLException {
        try (Connection c = jdbc("postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            return rs.next();
        }
    }

    /** Returns every row of a table, ordered by its first column, as strings. */
    List<List<String>> rows(String database, String table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = jdbc(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select * from " + table + " order by 1")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
