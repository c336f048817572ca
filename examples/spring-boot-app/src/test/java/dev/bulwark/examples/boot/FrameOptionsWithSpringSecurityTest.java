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
 * Spring Security's frame-options writer replaces the header unconditionally; Bulwark switches it off so that
 * Bulwark's configured value and per-path overrides reach the wire.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "bulwark.headers.frame-options=sameorigin",
            "bulwark.headers.overrides[0].path=/api/me",
            "bulwark.headers.overrides[0].header=X-Frame-Options",
            "bulwark.headers.overrides[0].value=disabled",
            "bulwark.headers.cache-control[0].path=/static/**",
            "bulwark.headers.cache-control[0].value=public, max-age=31536000, immutable"
        })
class FrameOptionsWithSpringSecurityTest {

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bulwarksFrameOptionsValueWinsOverSpringSecuritysDefault() throws Exception {
        assertThat(get("/api/hello").headers().allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
    }

    @Test
    void pathWhereBulwarkRemovesTheHeaderStaysWithoutIt() throws Exception {
        HttpResponse<String> response = get("/api/me"); // 401 from Spring Security
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("X-Frame-Options")).isEmpty();
    }

    @Test
    void aMissingStaticFileIsNotCachedAsImmutable() throws Exception {
        HttpResponse<String> response = get("/static/app.3f9.js");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    }
}
