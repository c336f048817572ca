package dev.bulwark.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** CORS through the example app with Spring Security on: preflights never reach authentication. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CorsWithSpringSecurityTest {

    private static final String APP = "https://app.example.com";

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void preflightForAProtectedEndpointIsAnsweredWithoutAuthentication() throws Exception {
        HttpResponse<String> response = send(
                "OPTIONS",
                "/api/me",
                "Origin",
                APP,
                "Access-Control-Request-Method",
                "GET",
                "Access-Control-Request-Headers",
                "Authorization");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials"))
                .hasValue("true");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("content-type, authorization");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("86400");
    }

    @Test
    void preflightFromAnotherOriginIsRejectedWithoutCorsHeaders() throws Exception {
        HttpResponse<String> response = send(
                "OPTIONS", "/api/me", "Origin", "https://evil.example.net", "Access-Control-Request-Method", "GET");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void actualRequestGetsTheOriginAndVary() throws Exception {
        HttpResponse<String> allowed = send("GET", "/api/hello", "Origin", "https://pr-42.preview.example.com");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://pr-42.preview.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValue("x-request-id");
        assertThat(String.join(",", allowed.headers().allValues("Vary"))).contains("Origin");

        HttpResponse<String> lookalike = send("GET", "/api/hello", "Origin", "https://app.example.com.evil.net");
        assertThat(lookalike.statusCode()).isEqualTo(200);
        assertThat(lookalike.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();

        HttpResponse<String> noOrigin = send("GET", "/api/hello");
        assertThat(String.join(",", noOrigin.headers().allValues("Vary"))).contains("Origin");
    }
}
