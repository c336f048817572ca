package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bulwark's filters on real Jetty 12 and Tomcat 11, asserted on the wire. */
class BulwarkFiltersTest {

    private static final BulwarkConfig TRUSTING_LOOPBACK = BulwarkConfig.builder()
            .clientAddressResolver(ClientAddressResolver.builder()
                    .trustedProxies(List.of("127.0.0.1", "::1"))
                    .build())
            .build();

    private static final HttpServlet WHO_AM_I = Servlets.handler((request, response) -> {
        response.setContentType("text/plain");
        response.getWriter()
                .print(request.getRemoteAddr() + " " + request.getScheme() + " " + request.isSecure() + " "
                        + request.getServerName() + " " + request.getServerPort() + " " + request.getRequestURL());
    });

    private static TestServer start(Container container, BulwarkConfig config, String path, HttpServlet servlet) {
        return TestServer.builder(container)
                .install(ctx -> Bulwark.install(ctx, config))
                .servlet(path, servlet)
                .start();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void defaultHeadersOnPlainHttp(Container container) {
        try (TestServer server = start(container, BulwarkConfig.defaults(), "/api/hello", Servlets.text("hello"))) {
            Http.Response response = Http.get(server.uri("/api/hello"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
            assertThat(response.headers("X-Frame-Options")).containsExactly("DENY");
            assertThat(response.headers("Referrer-Policy")).containsExactly("same-origin");
            assertThat(response.headers("Cross-Origin-Opener-Policy")).containsExactly("same-origin");
            assertThat(response.headers("X-XSS-Protection")).containsExactly("0");
            assertThat(response.header("Strict-Transport-Security")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headerSetByTheAppSurvives(Container container) {
        HttpServlet servlet = Servlets.handler((request, response) -> {
            response.setHeader("X-Frame-Options", "SAMEORIGIN");
            response.addHeader("Cache-Control", "max-age=60");
            response.getWriter().print("ok");
        });
        BulwarkConfig config = BulwarkConfig.builder()
                .securityHeaders(SecurityHeadersPolicy.builder()
                        .defaultCacheControl("no-store")
                        .build())
                .build();
        try (TestServer server = start(container, config, "/page", servlet)) {
            Http.Response response = Http.get(server.uri("/page"));
            assertThat(response.headers("X-Frame-Options")).containsExactly("SAMEORIGIN");
            assertThat(response.headers("Cache-Control")).containsExactly("max-age=60");
            assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void appAddHeaderReplacesBulwarksValueInsteadOfDuplicatingIt(Container container) {
        HttpServlet servlet = Servlets.handler((request, response) -> {
            response.addHeader("X-Frame-Options", "SAMEORIGIN");
            response.addHeader("Referrer-Policy", "no-referrer");
            response.addHeader("Referrer-Policy", "strict-origin"); // a second add by the app is kept
            response.getWriter().print("ok");
        });
        try (TestServer server = start(container, BulwarkConfig.defaults(), "/page", servlet)) {
            Http.Response response = Http.get(server.uri("/page"));
            assertThat(response.headers("X-Frame-Options")).containsExactly("SAMEORIGIN");
            assertThat(response.headers("Referrer-Policy")).containsExactly("no-referrer", "strict-origin");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headersAreRestoredAfterTheAppResetsTheResponse(Container container) {
        HttpServlet servlet = Servlets.handler((request, response) -> {
            response.setHeader("X-Custom", "gone after reset");
            response.reset();
            response.setContentType("text/plain");
            response.getWriter().print("after reset");
        });
        try (TestServer server = start(container, BulwarkConfig.defaults(), "/reset", servlet)) {
            Http.Response response = Http.get(server.uri("/reset"));
            assertThat(response.body()).isEqualTo("after reset");
            assertThat(response.header("X-Custom")).isEmpty();
            assertThat(response.headers("X-Frame-Options")).containsExactly("DENY");
            assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headersSurviveSendError(Container container) {
        HttpServlet servlet = Servlets.handler((request, response) -> response.sendError(404));
        try (TestServer server = start(container, BulwarkConfig.defaults(), "/missing", servlet)) {
            Http.Response response = Http.get(server.uri("/missing"));
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
            assertThat(response.headers("X-Frame-Options")).containsExactly("DENY");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void httpsIsDetectedBehindATrustedProxy(Container container) {
        try (TestServer server = start(container, TRUSTING_LOOPBACK, "/who", WHO_AM_I)) {
            Http.Response response = Http.send(
                    "GET",
                    server.uri("/who"),
                    Map.of(
                            "X-Forwarded-For", "198.51.100.9, 127.0.0.1",
                            "X-Forwarded-Proto", "https",
                            "X-Forwarded-Host", "shop.example.com"),
                    null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body())
                    .isEqualTo("198.51.100.9 https true shop.example.com 443 https://shop.example.com/who");
            assertThat(response.headers("Strict-Transport-Security"))
                    .containsExactly("max-age=31536000; includeSubDomains");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void forwardedHeadersFromAnUntrustedPeerAreIgnored(Container container) {
        try (TestServer server = start(container, BulwarkConfig.defaults(), "/who", WHO_AM_I)) {
            Http.Response response = Http.send(
                    "GET",
                    server.uri("/who"),
                    Map.of("X-Forwarded-For", "198.51.100.9", "X-Forwarded-Proto", "https"),
                    null);
            assertThat(response.body()).startsWith("127.0.0.1 http false 127.0.0.1 " + server.port());
            assertThat(response.header("Strict-Transport-Security")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void spoofedLeftMostEntriesAndHostileHeadersNeverBreakTheRequest(Container container) {
        try (TestServer server = start(container, TRUSTING_LOOPBACK, "/who", WHO_AM_I)) {
            String junk = "x".repeat(6000);
            Http.RawResponse response = Http.raw(
                    server.port(),
                    Http.rawRequest(
                            "GET /who HTTP/1.1",
                            "Host: localhost",
                            "X-Forwarded-For: 6.6.6.6, " + junk + ", 203.0.113.5",
                            "X-Forwarded-For: 10.9.8.7",
                            "X-Forwarded-Proto: gopher",
                            "X-Forwarded-Host: evil.example\"<script>",
                            "Connection: close"));
            assertThat(response.status()).isEqualTo(200);
            // two header lines form one chain; 10.9.8.7 is the first untrusted hop from the right
            assertThat(response.body()).startsWith("10.9.8.7 http false localhost");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void httpsRedirectUsesTheRightStatusAndKeepsPathAndQuery(Container container) {
        BulwarkConfig config = BulwarkConfig.builder()
                .clientAddressResolver(ClientAddressResolver.builder()
                        .trustedProxies(List.of("127.0.0.1"))
                        .build())
                .httpsRedirect(HttpsRedirect.defaults())
                .build();
        try (TestServer server = TestServer.builder(container)
                .install(ctx -> Bulwark.install(ctx, config))
                .servlet("/api/*", Servlets.text("app"))
                .servlet("/health/*", Servlets.text("UP"))
                .start()) {
            Http.Response get = Http.get(server.uri("/api/items?page=2"));
            assertThat(get.status()).isEqualTo(301);
            assertThat(get.header("Location")).hasValue("https://127.0.0.1/api/items?page=2");
            // the location reflects the requested host: shared caches must not replay it
            assertThat(get.headers("Cache-Control")).containsExactly("no-store");
            // headers run before the redirect, so the redirect carries them too
            assertThat(get.headers("X-Content-Type-Options")).containsExactly("nosniff");

            Http.Response post = Http.send("POST", server.uri("/api/items"), Map.of(), "x=1");
            assertThat(post.status()).isEqualTo(308);
            assertThat(post.header("Location")).hasValue("https://127.0.0.1/api/items");

            Http.Response head = Http.send("HEAD", server.uri("/api/items"), Map.of(), null);
            assertThat(head.status()).isEqualTo(301);

            Http.RawResponse spoofed = Http.raw(
                    server.port(),
                    Http.rawRequest("GET /api/items HTTP/1.1", "Host: shop.example.com", "Connection: close"));
            assertThat(spoofed.header("Location")).hasValue("https://shop.example.com/api/items");

            Http.Response health = Http.get(server.uri("/health/live"));
            assertThat(health.status()).isEqualTo(200);

            Http.Response viaTls =
                    Http.send("GET", server.uri("/api/items"), Map.of("X-Forwarded-Proto", "https"), null);
            assertThat(viaTls.status()).isEqualTo(200);
            assertThat(viaTls.body()).isEqualTo("app");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void cspNonceIsFreshAndReachesTheApp(Container container) {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServlet page = Servlets.handler((request, response) -> {
            seen.set(SecurityHeadersFilter.nonce(request));
            response.setContentType("text/html");
            response.getWriter().print("<script nonce=\"" + SecurityHeadersFilter.nonce(request) + "\"></script>");
        });
        BulwarkConfig config = BulwarkConfig.builder()
                .securityHeaders(SecurityHeadersPolicy.builder()
                        .contentSecurityPolicy(ContentSecurityPolicy.parse("script-src 'self' 'nonce-{nonce}'"))
                        .build())
                .build();
        try (TestServer server = start(container, config, "/page", page)) {
            Http.Response first = Http.get(server.uri("/page"));
            String nonce = seen.get();
            assertThat(nonce).hasSizeGreaterThanOrEqualTo(22);
            assertThat(first.header("Content-Security-Policy")).hasValue("script-src 'self' 'nonce-" + nonce + "'");
            assertThat(first.headers("Cache-Control")).containsExactly("no-store");
            Http.Response second = Http.get(server.uri("/page"));
            assertThat(second.header("Content-Security-Policy")).isNotEqualTo(first.header("Content-Security-Policy"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void cookiesAreHardenedSecureOnlyWhenTheClientUsedHttps(Container container) {
        HttpServlet servlet = Servlets.handler((request, response) -> {
            response.addCookie(new Cookie("remember-me", "1"));
            response.addHeader("Set-Cookie", "theme=dark; Path=/");
            request.getSession(true);
            response.getWriter().print("ok");
        });
        BulwarkConfig config = BulwarkConfig.builder()
                .clientAddressResolver(ClientAddressResolver.builder()
                        .trustedProxies(List.of("127.0.0.1"))
                        .build())
                .cookies(CookiePolicy.builder()
                        .cookieNames(List.of("remember-me"))
                        .build())
                .build();
        try (TestServer server = start(container, config, "/login", servlet)) {
            Http.Response plain = Http.get(server.uri("/login"));
            assertThat(plain.headers("Set-Cookie"))
                    .anySatisfy(c -> assertThat(c)
                            .startsWith("remember-me=1")
                            .contains("HttpOnly")
                            .contains("SameSite=Lax")
                            .doesNotContain("Secure"))
                    .anySatisfy(c -> assertThat(c).isEqualTo("theme=dark; Path=/"))
                    .anySatisfy(c -> assertThat(c)
                            .startsWith("JSESSIONID=")
                            .contains("HttpOnly")
                            .contains("SameSite=Lax"));

            Http.Response tls = Http.send("GET", server.uri("/login"), Map.of("X-Forwarded-Proto", "https"), null);
            assertThat(tls.headers("Set-Cookie"))
                    .filteredOn(c -> c.startsWith("remember-me=") || c.startsWith("JSESSIONID="))
                    .hasSize(2)
                    .allSatisfy(c -> assertThat(c).contains("Secure"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void installRegistersFiltersInDocumentedOrder(Container container) {
        AtomicReference<List<String>> names = new AtomicReference<>();
        BulwarkConfig config =
                BulwarkConfig.builder().httpsRedirect(HttpsRedirect.defaults()).build();
        try (TestServer server = TestServer.builder(container)
                .install(ctx -> names.set(Bulwark.install(ctx, config)))
                .servlet("/", Servlets.text("x"))
                .start()) {
            assertThat(names.get())
                    .containsExactly(
                            Bulwark.CLIENT_IDENTITY,
                            Bulwark.ACCESS_LOG,
                            Bulwark.SECURITY_HEADERS,
                            Bulwark.HTTPS_REDIRECT,
                            Bulwark.COOKIES,
                            Bulwark.REQUEST_LIMITS,
                            Bulwark.OVERLOAD);
            assertThat(server.port()).isPositive();
        }
    }
}
