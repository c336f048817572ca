package dev.bulwark.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example app's health endpoints on the wire: public although Spring Security protects the rest, {@code
 * Cache-Control: no-store}, no detail. The demonstration TCP probe points at a closed port here, so readiness shows a
 * non-critical failure: {@code warn} with 200.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bulwark.health.probes.postgres.target=127.0.0.1:1")
class HealthInExampleTest {

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessIsUpWithoutCredentials() throws Exception {
        HttpResponse<String> live = send("GET", "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"pass\"}");
        assertThat(live.headers().firstValue("Content-Type")).hasValue("application/health+json;charset=utf-8");
        assertThat(live.headers().allValues("Cache-Control")).containsExactly("no-store");
        // not counted against the anonymous rate limit either
        assertThat(live.headers().firstValue("RateLimit")).isEmpty();
    }

    @Test
    void readinessReportsTheNonCriticalProbeAsWarnWithoutDetails() throws Exception {
        HttpResponse<String> ready = send("GET", "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"warn\"}");
        assertThat(ready.headers().allValues("Cache-Control")).containsExactly("no-store");

        HttpResponse<String> head = send("HEAD", "/health/ready");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        assertThat(send("GET", "/health/started").statusCode()).isEqualTo(200);
    }
}
