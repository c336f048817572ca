package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthCheckCommandTest {

    private static HttpServer server;
    private static final CountDownLatch never = new CountDownLatch(1);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/health/down", exchange -> {
            byte[] body = "{\"status\":\"fail\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/health/hang", exchange -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        never.countDown();
        server.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private int run(String... args) {
        return HealthCheckCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void healthyEndpointExitsZero() {
        assertThat(run(url("/health/ready"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("healthy: 200 from " + url("/health/ready"));
    }

    @Test
    void unhealthyEndpointExitsOne() {
        assertThat(run("--timeout", "2s", url("/health/down"))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unhealthy: 503 from ");
    }

    @Test
    void closedPortExitsOne() throws Exception {
        int port = HealthProbesTest.closedPort();
        assertThat(run("--timeout=2s", "http://127.0.0.1:" + port + "/health/ready"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unhealthy: http://127.0.0.1:" + port);
    }

    @Test
    void silentEndpointExitsOneWithinTheTimeout() {
        long start = System.nanoTime();
        assertThat(run("--timeout", "300ms", url("/health/hang"))).isEqualTo(1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("within 300 ms");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--timeout")).isEqualTo(2);
        assertThat(run("--timeout", "soon", url("/"))).isEqualTo(2);
        assertThat(run("ftp://x/")).isEqualTo(2);
        assertThat(run(url("/a"), url("/b"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: java -cp bulwark-core.jar");
    }
}
