package dev.bulwark.servlet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Proves the harness behaves the same on every {@link Container}. */
class HarnessSelfTest {

    @ParameterizedTest
    @EnumSource(Container.class)
    void installerAddedFilterRunsAndServletAnswers(Container container) {
        try (TestServer server = TestServer.start(
                container,
                ctx -> ctx.addFilter("stamp", stamp("X-Harness", "filtered"))
                        .addMappingForUrlPatterns(null, false, "/*"),
                Map.of("/api/hello", Servlets.text("hello")))) {

            Http.Response response = Http.get(server.uri("/api/hello"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.header("X-Harness")).contains("filtered");
            assertThat(response.header("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rawRequestDeliversDuplicateHeaderLinesAndSpoofedHost(Container container) {
        try (TestServer server = TestServer.start(container, ctx -> {}, Map.of("/echo", echo()))) {

            Http.RawResponse response = Http.raw(
                    server.port(),
                    Http.rawRequest(
                            "GET /echo HTTP/1.1",
                            "Host: spoofed.example",
                            "X-Forwarded-For: 203.0.113.7",
                            "X-Forwarded-For: 198.51.100.1, 10.0.0.1",
                            "Connection: close"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(response.body())
                    .contains("xff=203.0.113.7|198.51.100.1, 10.0.0.1\n")
                    .contains("remote=127.0.0.1\n")
                    .contains("host=spoofed.example\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void clientRequestsComeFromLoopbackToRootContext(Container container) {
        try (TestServer server = TestServer.start(container, ctx -> {}, Map.of("/*", echo()))) {

            Http.Response response =
                    Http.send("POST", server.uri("/any/path?q=1"), Map.of("X-Forwarded-For", "not-an-ip"), "payload");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body())
                    .contains("method=POST\n")
                    .contains("remote=127.0.0.1\n")
                    .contains("contextPath=\n")
                    .contains("uri=/any/path?q=1\n")
                    .contains("xff=not-an-ip\n")
                    .contains("body=payload\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void builderFiltersRunInOrderAndUnmappedPathsAre404(Container container) {
        try (TestServer server = TestServer.builder(container)
                .filter("/*", stamp("X-Order", "first"))
                .filter("/*", stamp("X-Order", "second"))
                .servlet("/api/hello", Servlets.text("hello"))
                .start()) {

            assertThat(Http.get(server.uri("/api/hello")).headers("X-Order")).containsExactly("first", "second");
            assertThat(Http.get(server.uri("/missing")).status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rawReaderEndsBodiesByContentLengthAndByLastChunk(Container container) {
        try (TestServer server = TestServer.builder(container)
                .servlet("/api/hello", Servlets.text("hello"))
                .servlet("/stream", Servlets.handler((request, response) -> {
                    response.getWriter().write("a");
                    response.flushBuffer(); // committed without a length: the container must chunk
                    response.getWriter().write("b");
                }))
                .start()) {

            // No "Connection: close": the reader must stop at the end of the body, not wait for the server to close.
            Http.RawResponse sized = Http.raw(server.port(), Http.rawRequest("GET /api/hello HTTP/1.1", "Host: x"));
            Http.RawResponse chunked = Http.raw(server.port(), Http.rawRequest("GET /stream HTTP/1.1", "Host: x"));

            assertThat(sized.header("Content-Length")).contains("5");
            assertThat(sized.body()).isEqualTo("hello");
            assertThat(chunked.header("Transfer-Encoding")).contains("chunked");
            assertThat(chunked.body()).isEqualTo("ab");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void installerFailureIsRethrownFromStart(Container container) {
        IllegalArgumentException failure = new IllegalArgumentException("bad configuration");

        assertThatThrownBy(() -> TestServer.start(
                        container,
                        ctx -> {
                            throw failure;
                        },
                        Map.of()))
                .isSameAs(failure);
    }

    /** A filter that adds a response header before passing the request on. */
    private static Filter stamp(String name, String value) {
        return (request, response, chain) -> {
            ((HttpServletResponse) response).addHeader(name, value);
            chain.doFilter(request, response);
        };
    }

    /** A servlet that echoes what it received, one {@code key=value} line each. */
    private static HttpServlet echo() {
        return Servlets.handler((request, response) -> {
            String query = request.getQueryString();
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter()
                    .write("method=" + request.getMethod() + "\n"
                            + "remote=" + request.getRemoteAddr() + "\n"
                            + "host=" + request.getServerName() + "\n"
                            + "contextPath=" + request.getContextPath() + "\n"
                            + "uri=" + request.getRequestURI() + (query == null ? "" : "?" + query) + "\n"
                            + "xff=" + String.join("|", Collections.list(request.getHeaders("X-Forwarded-For")))
                            + "\n"
                            + "body=" + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            + "\n");
        });
    }
}
