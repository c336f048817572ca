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

    @Test
    void elevenMegabytesAre413AndAThousandAndOneFieldsAre400() throws Exception {
        HttpResponse<String> tooLarge = send(request("/api/echo")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[11 * 1000 * 1000])));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(tooLarge.body()).contains("\"reason\":\"body_too_large\"");
        // Bulwark's security headers are on its own answers too
        assertThat(tooLarge.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");

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
        send(request("/api/echo")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[11 * 1000 * 1000])));

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
