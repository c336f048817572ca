package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC probe against a real PostgreSQL: embedded (io.zonky.test), or the server named by {@code
 * BULWARK_TEST_POSTGRES_URL} (a JDBC URL with user and password parameters).
 */
class JdbcProbeTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @TempDir
    static Path dataDir;

    private static @Nullable EmbeddedPostgres embedded;
    private static String jdbcUrl;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        String external = System.getenv("BULWARK_TEST_POSTGRES_URL");
        if (external != null && !external.isBlank()) {
            jdbcUrl = external;
            return;
        }
        embedded = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(true)
                .start();
        jdbcUrl = embedded.getJdbcUrl("postgres", "postgres");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private HealthRegistry registry(HealthProbe probe) {
        HealthRegistry registry =
                HealthRegistry.builder().cacheTtl(Duration.ZERO).probe(probe).build();
        registry.lifecycle().markStarted();
        resources.add(registry);
        return registry;
    }

    private static DataSource plain() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setConnectTimeout(5);
        return ds;
    }

    private HikariDataSource hikari(int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(250);
        config.setPoolName("health-test");
        HikariDataSource ds = new HikariDataSource(config);
        resources.add(ds);
        return ds;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void reachableDatabaseIsUp() {
        HealthRegistry registry = registry(HealthProbe.builder("postgres", HealthProbes.jdbc(plain()))
                .timeout(Duration.ofSeconds(5))
                .build());

        GroupResult result = registry.evaluate(HealthRegistry.READINESS);

        assertThat(result.status()).isEqualTo(Status.UP);
        assertThat(result.checks().get("postgres").details()).isEmpty();
    }

    @Test
    void hikariPoolReportsItsUsage() throws Exception {
        HikariDataSource ds = hikari(4);
        try (Connection warm = ds.getConnection()) {
            assertThat(warm.isValid(1)).isTrue();
        }
        HealthRegistry registry = registry(HealthProbe.builder("postgres", HealthProbes.jdbc(ds))
                .timeout(Duration.ofSeconds(5))
                .build());

        ProbeResult result =
                registry.evaluate(HealthRegistry.READINESS).checks().get("postgres");

        assertThat(result.status()).isEqualTo(Status.UP);
        assertThat(result.details()).containsEntry("pool", "ok").containsEntry("pool.max", 4);
    }

    @Test
    void exhaustedPoolIsReportedAsSaturatedWithinTheTimeout() throws Exception {
        HikariDataSource ds = hikari(1);
        HealthRegistry registry = registry(HealthProbe.builder("postgres", HealthProbes.jdbc(ds))
                .timeout(TIMEOUT)
                .build());
        HealthRegistry strict = registry(HealthProbe.builder("postgres", HealthProbes.jdbc(ds, Status.DOWN))
                .timeout(TIMEOUT)
                .build());

        try (Connection held = ds.getConnection()) {
            long start = System.nanoTime();
            GroupResult result = registry.evaluate(HealthRegistry.READINESS);
            long millis = millisSince(start);

            assertThat(millis).isLessThan(TIMEOUT.toMillis() + 300);
            assertThat(result.status()).isEqualTo(Status.WARN);
            assertThat(result.httpStatus()).isEqualTo(200);
            ProbeResult pg = result.checks().get("postgres");
            assertThat(pg.error()).isEqualTo("connection pool saturated");
            assertThat(pg.message())
                    .isEqualTo("connection pool saturated: 1 of 1 connections active, 0 threads waiting");
            assertThat(pg.details())
                    .containsEntry("pool", "saturated")
                    .containsEntry("pool.active", 1)
                    .containsEntry("pool.idle", 0)
                    .containsEntry("pool.max", 1);

            assertThat(strict.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.DOWN);
        }
        assertThat(registry.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.UP);
    }

    @Test
    void hungDatabaseIsDownWithinTheTimeout() throws Exception {
        assumeThat(embedded).as("needs the embedded server to stop it").isNotNull();
        HikariDataSource pooled = hikari(2);
        try (Connection warm = pooled.getConnection()) {
            assertThat(warm.isValid(1)).isTrue();
        }
        HealthRegistry viaPool = registry(HealthProbe.builder("postgres", HealthProbes.jdbc(pooled))
                .timeout(TIMEOUT)
                .build());
        HealthRegistry direct = registry(HealthProbe.builder("postgres", HealthProbes.jdbc(plain()))
                .timeout(TIMEOUT)
                .build());

        List<Long> pids = postgresProcesses();
        signal("STOP", pids);
        try {
            for (HealthRegistry registry : List.of(viaPool, direct)) {
                long start = System.nanoTime();
                GroupResult result = registry.evaluate(HealthRegistry.READINESS);
                long millis = millisSince(start);

                assertThat(millis).isLessThan(TIMEOUT.toMillis() + 300);
                assertThat(result.status()).isEqualTo(Status.DOWN);
                assertThat(result.checks().get("postgres").error()).isEqualTo("timed out after 500 ms");

                // the next evaluation answers at once and starts no second check while the first one hangs
                start = System.nanoTime();
                ProbeResult again =
                        registry.evaluate(HealthRegistry.READINESS).checks().get("postgres");
                assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis() + 300);
                assertThat(again.status()).isEqualTo(Status.DOWN);
            }
        } finally {
            signal("CONT", pids);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Status status = Status.DOWN;
        while (status != Status.UP && System.nanoTime() < until) {
            Thread.sleep(100);
            status = viaPool.evaluate(HealthRegistry.READINESS).status();
        }
        assertThat(status).as("recovers after SIGCONT").isEqualTo(Status.UP);
    }

    /** The postmaster (first line of postmaster.pid) and all its children. */
    private static List<Long> postgresProcesses() throws Exception {
        long postmaster =
                Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"))
                        .get(0)
                        .strip());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
