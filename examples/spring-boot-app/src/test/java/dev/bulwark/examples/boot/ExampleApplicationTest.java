package dev.bulwark.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** Smoke test: the example app on a random port, with Spring Security and Bulwark, checked on the wire. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    @Test
    void helloIsPublicAndCarriesEachSecurityHeaderOnce() throws Exception {
        HttpResponse<String> response = send(request("/api/hello"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello from Bulwark\n");
        var headers = response.headers();
        assertThat(headers.allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(headers.allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(headers.allValues("Referrer-Policy")).containsExactly("same-origin");
        assertThat(headers.allValues("Cross-Origin-Opener-Policy")).containsExactly("same-origin");
        assertThat(headers.allValues("Cross-Origin-Resource-Policy")).containsExactly("same-origin");
        assertThat(headers.allValues("X-XSS-Protection")).containsExactly("0");
        assertThat(headers.allValues("Permissions-Policy"))
                .containsExactly("camera=(), microphone=(), geolocation=(), payment=()");
        // Bulwark's Cache-Control wins over Spring Security's, and there is only one
        assertThat(headers.allValues("Cache-Control")).containsExactly("no-store");
        // plain HTTP: no HSTS (RFC 6797 section 7.2)
        assertThat(headers.firstValue("Strict-Transport-Security")).isEmpty();
        String csp = headers.firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).matches(".*script-src 'self' 'nonce-[A-Za-z0-9+/]{22,}={0,2}'.*");
    }

    @Test
    void cspNonceIsFreshPerResponse() throws Exception {
        String first = send(request("/api/hello"))
                .headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow();
        String second = send(request("/api/hello"))
                .headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void echoCountsBytesAndFieldsWithoutCsrfToken() throws Exception {
        HttpResponse<String> form = send(request("/api/echo")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2&c=3")));
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).isEqualTo("{\"bytes\":11,\"fields\":3}");

        HttpResponse<String> raw = send(request("/api/echo")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])));
        assertThat(raw.body()).isEqualTo("{\"bytes\":5000,\"fields\":0}");
    }

    @Test
    void meNeedsBasicAuthentication() throws Exception {
        HttpResponse<String> anonymous = send(request("/api/me"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        // the 401 from Spring Security carries Bulwark's headers too, once
        assertThat(anonymous.headers().allValues("X-Frame-Options")).containsExactly("DENY");

        String basic = Base64.getEncoder().encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> alice = send(request("/api/me").header("Authorization", "Basic " + basic));
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).isEqualTo("alice");
    }

    @Test
    void spoofedForwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        HttpResponse<String> response = send(request("/api/hello").header("X-Forwarded-Proto", "https"));
        // nothing is trusted by default, so the request stays plain HTTP: no HSTS
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
}
