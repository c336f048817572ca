package dev.bulwark.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example app's request limits, Prometheus endpoint and access log on the wire: the seed's 10 MB body and 1000
 * field limits, the seed's buckets at {@code /actuator/prometheus}, and Gunicorn lines in the rolling access log file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LimitsMetricsAndAccessLogInExampleTest {

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
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
    void elevenMegabytesAre413AndAThousandAndOneFieldsAre400() throws Exception {
        String tooLarge = elevenMegabyteHead(port, "/api/echo");
        assertThat(tooLarge).startsWith("HTTP/1.1 413 ");
        assertThat(tooLarge.toLowerCase(java.util.Locale.ROOT)).contains("\r\ncontent-type: application/problem+json");
        assertThat(tooLarge).contains("\"reason\":\"body_too_large\"");
        // Bulwark's security headers are on its own answers too
        assertThat(tooLarge.toLowerCase(java.util.Locale.ROOT)).contains("\r\nx-content-type-options: nosniff\r\n");

        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i < 1001; i++) {
            form.add("f" + i + "=" + i);
        }
        HttpResponse<String> tooManyFields = send(request("/api/echo")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
        assertThat(tooManyFields.statusCode()).isEqualTo(400);
        assertThat(tooManyFields.body()).contains("\"detail\":\"request has more than 1000 form fields\"");
    }

    @Test
    void prometheusShowsRequestsByRoutePatternInTheSeedsBucketsAndRejections() throws Exception {
        assertThat(send(request("/api/hello")).statusCode()).isEqualTo(200);
        assertThat(elevenMegabyteHead(port, "/api/echo")).startsWith("HTTP/1.1 413 ");

        HttpResponse<String> scrape = send(request("/actuator/prometheus"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("bulwark_http_server_requests_seconds_bucket{method=\"GET\",route=\"/api/hello\","
                        + "status=\"2xx\",le=\"0.1\"}")
                .contains("route=\"/api/hello\",status=\"2xx\",le=\"0.3\"}")
                .contains("route=\"/api/hello\",status=\"2xx\",le=\"1.2\"}")
                .contains("route=\"/api/hello\",status=\"2xx\",le=\"5.0\"}")
                .contains("bulwark_http_server_requests_active")
                .containsPattern("bulwark_rejections_total\\{capability=\"limits\",reason=\"body_too_large\"} [1-9]");
    }

    /** Returns the first line of the access log file containing {@code text}, waiting briefly for it. */
    private static String accessLine(String text) throws Exception {
        Path file = Path.of(System.getProperty("LOG_PATH", "logs"), "access.log");
        for (int i = 0; i < 250; i++) {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line containing " + text + " in " + file);
    }

    @Test
    void accessLinesAreWrittenInTheSeedsGunicornFormatToTheRollingFile() throws Exception {
        send(request("/api/hello?from=access-log-test")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("User-Agent", "access-log-test"));
        assertThat(accessLine("/api/hello?from=access-log-test"))
                .matches("203\\.0\\.113\\.9 - - \\[[^]]+] \"GET /api/hello\\?from=access-log-test HTTP/1\\.1\" 200 19"
                        + " \"-\" \"access-log-test\" \\d+\\.\\d{6}");

        // the user Spring Security authenticated, recorded after its filter chain
        String basic = "Basic "
                + java.util.Base64.getEncoder().encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));
        send(request("/api/me?from=access-log-test").header("Authorization", basic));
        assertThat(accessLine("/api/me?from=access-log-test")).startsWith("- - alice [");
    }
}
