package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.sun.net.httpserver.HttpServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static HttpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (int code : new int[] {200, 204, 302, 404, 503}) {
            server.createContext("/" + code, exchange -> {
                exchange.getResponseHeaders().add("Location", "/200");
                exchange.sendResponseHeaders(code, -1);
                exchange.close();
            });
        }
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static URI url(int code) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + code + "?token=secret");
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @CsvSource({"200, UP", "204, UP", "302, UP", "404, DOWN", "503, DOWN"})
    void httpProbeAcceptsSuccessAndRedirects(int code, Status expected) throws Exception {
        ProbeResult result = HealthProbes.http(url(code)).check(TIMEOUT);

        assertThat(result.status()).isEqualTo(expected);
        assertThat(result.details()).containsEntry("status", code);
        assertThat(result.details().get("target").toString())
                .endsWith("/" + code)
                .doesNotContain("secret");
        if (expected == Status.DOWN) {
            assertThat(result.message()).isEqualTo("HTTP " + code);
        }
    }

    @Test
    void httpProbeToClosedPortThrows() throws Exception {
        ProbeCheck check = HealthProbes.http(URI.create("http://127.0.0.1:" + closedPort() + "/"));
        HealthRegistry registry = HealthRegistry.builder()
                .groupDeadline(Duration.ofSeconds(3))
                .probe(HealthProbe.builder("auth", check)
                        .timeout(Duration.ofSeconds(2))
                        .build()) // the first HttpClient in a JVM takes a while to load
                .build();
        try {
            registry.lifecycle().markStarted();
            ProbeResult result = registry.evaluate("readiness").checks().get("auth");
            assertThat(result.status()).isEqualTo(Status.DOWN);
            assertThat(result.error()).isEqualTo(ConnectException.class.getName());
        } finally {
            registry.close();
        }
    }

    @Test
    void tcpProbeConnects() throws Exception {
        try (ServerSocket listening = new ServerSocket(0)) {
            ProbeResult up =
                    HealthProbes.tcp("127.0.0.1", listening.getLocalPort()).check(TIMEOUT);
            assertThat(up.status()).isEqualTo(Status.UP);
            assertThat(up.details()).containsEntry("target", "127.0.0.1:" + listening.getLocalPort());
        }
        int closed = closedPort();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HealthProbes.tcp("127.0.0.1", closed).check(TIMEOUT))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void diskProbeComparesFreeSpaceWithTheThreshold(@TempDir Path dir) throws Exception {
        ProbeResult up = HealthProbes.diskSpace(dir, 1).check(TIMEOUT);
        assertThat(up.status()).isEqualTo(Status.UP);
        assertThat(up.details()).containsKeys("free", "total", "threshold");

        ProbeResult down = HealthProbes.diskSpace(dir, Long.MAX_VALUE).check(TIMEOUT);
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.error()).isEqualTo("free disk space below threshold");
        assertThat(down.message()).startsWith("free disk space ").endsWith(" is below the threshold of 8.0 EB");
    }

    @Test
    void lambdaProbeCarriesItsSettings() throws Exception {
        HealthProbe probe = HealthProbe.builder("queue", t -> ProbeResult.warn("lagging"))
                .critical(false)
                .timeout(Duration.ofMillis(250))
                .groups("readiness", "deep")
                .build();

        assertThat(probe.name()).isEqualTo("queue");
        assertThat(probe.critical()).isFalse();
        assertThat(probe.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(probe.groups()).containsExactlyInAnyOrder("readiness", "deep");
        assertThat(probe.check().status()).isEqualTo(Status.WARN);
    }

    @Test
    void specBuildsEachType(@TempDir Path dir) throws Exception {
        HealthProbe tcp = HealthProbes.fromSpec(
                "db", "TCP", " db.internal:5432 ", Duration.ofMillis(300), false, List.of("deep"));
        assertThat(tcp.name()).isEqualTo("db");
        assertThat(tcp.timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(tcp.critical()).isFalse();
        assertThat(tcp.groups()).containsExactly("deep");
        assertThat(tcp.toString()).contains("tcp(db.internal:5432)");

        HealthProbe v6 = HealthProbes.fromSpec("v6", "tcp", "[::1]:6379", null, null, null);
        assertThat(v6.toString()).contains("tcp([::1]:6379)");
        assertThat(v6.groups()).containsExactly("readiness");
        assertThat(v6.critical()).isTrue();
        assertThat(v6.timeout()).isEqualTo(Duration.ofMillis(HealthProbe.DEFAULT_TIMEOUT_MILLIS));

        assertThat(HealthProbes.fromSpec("auth", "http", url(200).toString(), null, null, null)
                        .check()
                        .status())
                .isEqualTo(Status.UP);
        assertThat(HealthProbes.fromSpec("pg", "jdbc", "jdbc:postgresql://u:pw@db/app?password=pw", null, null, null)
                        .toString())
                .contains("jdbc(jdbc:postgresql://***@db/app)")
                .doesNotContain("pw");
        assertThat(HealthProbes.fromSpec("cache", "redis", "redis://:s3cret@cache:6380/2", null, null, null)
                        .toString())
                .contains("redis(redis://***@cache:6380/2)")
                .doesNotContain("s3cret");
        HealthProbe disk = HealthProbes.fromSpec("disk", "disk", dir + "?min-free=1KB", null, null, Set.of("liveness"));
        assertThat(disk.check().details()).containsEntry("threshold", 1024L);
        assertThat(HealthProbes.fromSpec("disk2", "disk", dir.toString(), null, null, null)
                        .check()
                        .details())
                .containsEntry("threshold", HealthProbes.DEFAULT_MIN_FREE_BYTES);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "db | mysql | x | bulwark.health.probes.db.type must be one of tcp, http, jdbc, redis, disk: 'mysql'",
                "db | tcp | db.internal | bulwark.health.probes.db.target must be host:port for a tcp probe, such as"
                        + " db.internal:5432 (IPv6 in brackets): 'db.internal'",
                "db | tcp | db:99999 | bulwark.health.probes.db.target port must be a number within 1..65535, such as"
                        + " db.internal:5432: 'db:99999'",
                "db | tcp | ::1:80 | bulwark.health.probes.db.target must be host:port for a tcp probe, such as"
                        + " db.internal:5432 (IPv6 in brackets): '::1:80'",
                "auth | http | ftp://x/ | bulwark.health.probes.auth.target must be an http:// or https:// URL for an"
                        + " http probe, such as http://auth.internal:8080/health/ready: 'ftp://x/'",
                "pg | jdbc | postgresql://db/app | bulwark.health.probes.pg.target must be a JDBC URL for a jdbc"
                        + " probe, such as jdbc:postgresql://db.internal:5432/app?connectTimeout=2&socketTimeout=5:"
                        + " 'postgresql://db/app'",
                "cache | redis | http://cache:6379 | bulwark.health.probes.cache.target must start with redis:// or"
                        + " rediss://: 'http://cache:6379'",
                "cache | redis | redis://:pw@cache/x | bulwark.health.probes.cache.target database must be a number,"
                        + " as in redis://redis:6379/0: 'redis://***@cache/x'",
                "d | disk | /data?min-free=lots | bulwark.health.probes.d.target min-free must be a size such as 500MB"
                        + " or 2GB (units B, KB, MB, GB, TB): '/data?min-free=lots'",
            })
    void specRejectsBadValuesNamingThePropertyAndTheFix(String name, String type, String target, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec(name, type, target, null, null, null))
                .withMessage(message);
    }

    @Test
    void specRejectsMissingValuesTimeoutsGroupsAndNames() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec("db", null, "x", null, null, null))
                .withMessage(
                        "bulwark.health.probes.db.type is required: set it to one of tcp, http, jdbc, redis, disk");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec("db", "tcp", " ", null, null, null))
                .withMessage("bulwark.health.probes.db.target is required for a tcp probe, such as db.internal:5432");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec("db", "tcp", "db:1", Duration.ZERO, null, null))
                .withMessage("bulwark.health.probes.db.timeout must be between 1ms and 5m: PT0S; Kubernetes gives a"
                        + " probe 1s by default");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec("db", "tcp", "db:1", null, null, List.of("ready now")))
                .withMessage("bulwark.health.probes.db.groups contains an invalid group name 'ready now': use 1-64"
                        + " characters of A-Z a-z 0-9 . _ -, such as readiness, liveness, startup");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec("db", "tcp", "db:1", null, null, List.of()))
                .withMessage("bulwark.health.probes.db.groups must name at least one group, such as readiness; leave"
                        + " it unset for the default");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbes.fromSpec("my db", "tcp", "db:1", null, null, null))
                .withMessage("bulwark.health.probes.my db: the probe name must be 1-64 characters of A-Z a-z 0-9 . _ -"
                        + " starting with a letter or digit, and not 'lifecycle'; rename the property");
    }

    @Test
    void sizesParseWithBinaryUnits() {
        assertThat(HealthProbes.parseSize("10MB")).isEqualTo(10L * 1024 * 1024);
        assertThat(HealthProbes.parseSize("2 gb")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(HealthProbes.parseSize("512")).isEqualTo(512);
        assertThat(HealthProbes.parseSize("1XB")).isEqualTo(-1);
        assertThat(HealthProbes.parseSize("99999999999999TB")).isEqualTo(-1);
    }
}
