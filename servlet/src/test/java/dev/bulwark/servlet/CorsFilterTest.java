package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bulwark's CORS filter on real Jetty 12 and Tomcat 11, asserted on the wire. */
class CorsFilterTest {

    private static final String APP = "https://app.example.com";

    private static final Cors CORS = Cors.builder()
            .mapping("api", List.of("/api/**"), policy -> policy.allowedOrigins(APP)
                    .allowedMethods("GET", "POST", "DELETE")
                    .allowedHeaders("content-type", "authorization")
                    .exposedHeaders("x-request-id")
                    .allowCredentials(true))
            .build();

    private static TestServer start(Container container, AtomicInteger appCalls) {
        BulwarkConfig config = BulwarkConfig.builder()
                .clientAddressResolver(ClientAddressResolver.builder()
                        .trustedProxies(List.of("127.0.0.1"))
                        .build())
                .cors(CORS)
                .build();
        HttpServlet app = Servlets.handler((request, response) -> {
            appCalls.incrementAndGet();
            response.addHeader("Vary", "Accept-Encoding");
            response.getWriter().print("app");
        });
        return TestServer.builder(container)
                .install(ctx -> Bulwark.install(ctx, config))
                .servlet("/api/*", app)
                .servlet("/other", Servlets.text("other"))
                .start();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void allowedPreflightIsAnsweredWith204AndNeverReachesTheApp(Container container) {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = start(container, calls)) {
            Http.Response response = Http.send(
                    "OPTIONS",
                    server.uri("/api/items"),
                    Map.of(
                            "Origin", APP,
                            "Access-Control-Request-Method", "DELETE",
                            "Access-Control-Request-Headers", "Content-Type, Authorization"),
                    null);
            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("Access-Control-Allow-Origin")).hasValue(APP);
            assertThat(response.header("Access-Control-Allow-Credentials")).hasValue("true");
            assertThat(response.header("Access-Control-Allow-Methods"))
                    .hasValueSatisfying(m -> assertThat(m).contains("DELETE"));
            assertThat(response.header("Access-Control-Allow-Headers")).hasValue("content-type, authorization");
            assertThat(response.header("Access-Control-Max-Age")).hasValue("86400");
            assertThat(String.join(",", response.headers("Vary"))).contains("Origin");
            assertThat(calls).hasValue(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rejectedPreflightGets403WithoutAnyCorsHeader(Container container) {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = start(container, calls)) {
            for (Map<String, String> headers : List.of(
                    Map.of("Origin", "https://evil.example.net", "Access-Control-Request-Method", "GET"),
                    Map.of("Origin", APP, "Access-Control-Request-Method", "PATCH"),
                    Map.of("Origin", APP, "Access-Control-Request-Method", "delete"),
                    Map.of(
                            "Origin",
                            APP,
                            "Access-Control-Request-Method",
                            "GET",
                            "Access-Control-Request-Headers",
                            "x-secret"),
                    Map.of("Origin", "null", "Access-Control-Request-Method", "GET"))) {
                Http.Response response = Http.send("OPTIONS", server.uri("/api/items"), headers, null);
                assertThat(response.status()).as(headers.toString()).isEqualTo(403);
                assertThat(response.headers().map().keySet())
                        .as(headers.toString())
                        .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
            }
            assertThat(calls).hasValue(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void actualRequestsGetCorsHeadersOnlyForAllowedOriginsAndAlwaysVary(Container container) {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = start(container, calls)) {
            Http.Response allowed = Http.send("GET", server.uri("/api/items"), Map.of("Origin", APP), null);
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("Access-Control-Allow-Origin")).hasValue(APP);
            assertThat(allowed.header("Access-Control-Expose-Headers")).hasValue("x-request-id");
            // Origin once, beside the app's own Vary
            List<String> vary = allowed.headers("Vary").stream()
                    .flatMap(v -> List.of(v.split(",")).stream())
                    .map(String::trim)
                    .map(String::toLowerCase)
                    .toList();
            assertThat(vary).containsOnlyOnce("origin").contains("accept-encoding");

            Http.Response rejected = Http.send(
                    "GET", server.uri("/api/items"), Map.of("Origin", "https://app.example.com.evil.net"), null);
            assertThat(rejected.status()).isEqualTo(200);
            assertThat(rejected.header("Access-Control-Allow-Origin")).isEmpty();

            Http.Response unmapped = Http.send("GET", server.uri("/other"), Map.of("Origin", APP), null);
            assertThat(unmapped.header("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void sameOriginBehindATrustedProxyIsUntouched(Container container) {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = start(container, calls)) {
            Http.RawResponse response = Http.raw(
                    server.port(),
                    Http.rawRequest(
                            "POST /api/items HTTP/1.1",
                            "Host: internal:8080",
                            "Origin: https://shop.example.com",
                            "X-Forwarded-Proto: https",
                            "X-Forwarded-Host: shop.example.com",
                            "Content-Length: 0",
                            "Connection: close"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(calls).hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hostileCorsHeadersNeverCauseA500(Container container) {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = start(container, calls)) {
            String longHeaders = "x-a,".repeat(500);
            for (String[] h : List.of(
                    new String[] {"Origin", "https://app.example.com\u0000"},
                    new String[] {"Origin", "https://ex\u00e4mple.com"},
                    new String[] {"Origin", "https://app.example.com:99999"},
                    new String[] {"Access-Control-Request-Headers", longHeaders})) {
                Http.RawResponse response = Http.raw(
                        server.port(),
                        (Http.rawRequest(
                                        "OPTIONS /api/items HTTP/1.1",
                                        "Host: localhost",
                                        h[0].equals("Origin") ? h[0] + ": " + h[1] : "Origin: " + APP,
                                        "Access-Control-Request-Method: GET",
                                        h[0].equals("Origin") ? "X-Nothing: 1" : h[0] + ": " + h[1],
                                        "Connection: close"))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(response.status()).as(h[1]).isBetween(400, 499);
            }
        }
    }
}
