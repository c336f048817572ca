package dev.bulwark.examples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Smoke test: the plain servlet example on a random port, checked on the wire. */
class ServletAppTest {

    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://localhost:" + ServletApp.connectorPort(server) + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void helloCarriesTheSecurityHeaders() throws Exception {
        server = ServletApp.start(0, List.of());
        HttpResponse<String> response = get("/api/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello from Bulwark\n");
        assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none';"
                        + " frame-ancestors 'none'; upgrade-insecure-requests");
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void corsPreflightIsAnsweredByBulwark() throws Exception {
        server = ServletApp.start(0, List.of());
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + ServletApp.connectorPort(server) + "/api/hello"))
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .header("Origin", "https://app.example.com")
                                .header("Access-Control-Request-Method", "GET")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        HttpResponse<String> actual = get("/api/hello", "Origin", "https://evil.example.net");
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void httpsSeenThroughATrustedProxyTurnsOnHsts() throws Exception {
        server = ServletApp.start(0, List.of("127.0.0.1", "::1"));
        HttpResponse<String> response =
                get("/api/hello", "X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.4");
        assertThat(response.headers().firstValue("Strict-Transport-Security"))
                .hasValue("max-age=31536000; includeSubDomains");
    }

    @Test
    void healthEndpointsAnswerOnceStarted() throws Exception {
        server = ServletApp.start(0, List.of());
        for (String path : List.of("/health/live", "/health/ready", "/health/started")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo("{\"status\":\"pass\"}");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/health+json;charset=utf-8");
            assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
        }
    }

    @Test
    void stoppingFlipsReadinessWhileStillServingThenDrains() throws Exception {
        server = ServletApp.start(0, List.of(), Duration.ofMillis(1500));
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        Server running = server;
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                running.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        int status = get("/health/ready").statusCode();
        while (status == 200 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
            status = get("/health/ready").statusCode();
        }
        // the drain delay: readiness refuses, the app still serves
        assertThat(status).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/api/hello").statusCode()).isEqualTo(200);
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(server.isStopped()).isTrue();
        server = null;
    }

    @Test
    void metricsAreServedForPrometheusWithRoutesAndTheSeedsBuckets() throws Exception {
        server = ServletApp.start(0, List.of());
        assertThat(get("/api/hello").statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(scrape.body())
                .contains("bulwark_http_server_requests_seconds_bucket{method=\"GET\",route=\"/api/hello\","
                        + "status=\"2xx\",le=\"0.1\"} 1")
                .contains("route=\"/api/hello\",status=\"2xx\",le=\"5.0\"} 1")
                .contains("bulwark_overload_in_flight")
                .contains("bulwark_rejections_total{capability=\"limits\",reason=\"body_too_large\"} 0");
    }

    /**
     * Sends only the head of a {@code POST} announcing 11 MB and reads one answer (head and a body as long as its
     * {@code Content-Length}). Streaming the 11 MB instead would race the server's close, which may reset the
     * connection before the answer is read; the server may also keep waiting for the body, so nothing waits for EOF.
     */
    private static String elevenMegabyteHead(int port, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                    + "Content-Type: application/octet-stream\r\nContent-Length: 11000000\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.io.InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            while (!received.toString(java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                received.write(b);
            }
            String head = received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                    .matcher(head);
            byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        server = ServletApp.start(0, List.of());
        String response = elevenMegabyteHead(ServletApp.connectorPort(server), "/api/hello");
        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response).contains("\"reason\":\"body_too_large\"");
    }
}
