package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bulwark's request limits on real Jetty 12 and Tomcat 11, asserted on the wire with {@code java.net.http}. */
class RequestLimitsFilterTest {

    private static final int ELEVEN_MB = 11 * 1000 * 1000;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A servlet that streams the body, recording its calls and the most bytes it ever saw. */
    private static HttpServlet reader(AtomicInteger calls, AtomicLong seen) {
        return Servlets.handler((request, response) -> {
            calls.incrementAndGet();
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    seen.accumulateAndGet(total, Math::max);
                }
            } finally {
                seen.accumulateAndGet(total, Math::max);
            }
            response.setContentType("text/plain");
            response.getWriter().write("read " + total);
        });
    }

    private static TestServer start(Container container, RequestLimits limits, HttpServlet app) {
        return TestServer.builder(container)
                .filter("/*", new RequestLimitsFilter(limits))
                .servlet("/*", app)
                .start();
    }

    private static HttpResponse<String> send(URI uri, String method, BodyPublisher body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).method(method, body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An input stream of {@code size} bytes of {@code x}, produced as read (never held in memory). */
    private static InputStream bytes(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
    }

    /**
     * The head alone, announcing 11 MB: the answer must come from the headers, without waiting for a body byte. (A
     * client that streams the 11 MB meanwhile races the server's close, which may reset the connection before the
     * client reads the answer; that is a property of TCP, not of the filter, so the body is not sent here.)
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void elevenMegabytesWithContentLengthAre413BeforeTheAppReadsAnything(Container container) {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong seen = new AtomicLong();
        try (TestServer server = start(container, RequestLimits.defaults(), reader(calls, seen))) {
            Http.RawResponse response = Http.raw(
                    server.port(),
                    Http.rawRequest(
                            "POST /upload HTTP/1.1",
                            "Host: localhost",
                            "Content-Type: application/octet-stream",
                            "Content-Length: " + ELEVEN_MB));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body())
                    .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                            + "\"detail\":\"request body is larger than the limit of 10485760 bytes\","
                            + "\"reason\":\"body_too_large\",\"limit\":10485760}");
            assertThat(calls).hasValue(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void elevenMegabytesChunkedAre413AndTheAppNeverSeesMoreThanTheLimit(Container container) {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong seen = new AtomicLong();
        try (TestServer server = start(container, RequestLimits.defaults(), reader(calls, seen))) {
            HttpResponse<String> response = send(
                    server.uri("/upload"),
                    "POST",
                    BodyPublishers.ofInputStream(() -> bytes(ELEVEN_MB)),
                    "Content-Type",
                    "application/octet-stream");

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("\"reason\":\"body_too_large\"");
            assertThat(calls).hasValue(1);
            assertThat(seen.get()).isPositive().isLessThanOrEqualTo(RequestLimits.DEFAULT_MAX_BODY_SIZE);
        }
    }

    /** A servlet answering with its parameter count and the value of {@code f0}. */
    private static HttpServlet parameters(AtomicInteger calls) {
        return Servlets.handler((request, response) -> {
            calls.incrementAndGet();
            Map<String, String[]> parameters = request.getParameterMap();
            response.setContentType("text/plain");
            response.getWriter().write(parameters.size() + " " + request.getParameter("f0"));
        });
    }

    private static String form(int fields) {
        StringJoiner joiner = new StringJoiner("&");
        for (int i = 0; i < fields; i++) {
            joiner.add("f" + i + "=v%20" + i);
        }
        return joiner.toString();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFormWith1001FieldsIs400AndOneWith1000IsParsed(Container container) {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = start(container, RequestLimits.defaults(), parameters(calls))) {
            HttpResponse<String> ok = send(
                    server.uri("/form"),
                    "POST",
                    BodyPublishers.ofString(form(1000)),
                    "Content-Type",
                    "application/x-www-form-urlencoded");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("1000 v 0");

            HttpResponse<String> rejected = send(
                    server.uri("/form"),
                    "POST",
                    BodyPublishers.ofString(form(1001)),
                    "Content-Type",
                    "application/x-www-form-urlencoded");
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(rejected.body())
                    .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                            + "\"detail\":\"request has more than 1000 form fields\","
                            + "\"reason\":\"too_many_form_fields\",\"limit\":1000}");

            // chunked, with fields in the query too: counted together while streaming
            HttpResponse<String> chunked = send(
                    server.uri("/form?q1=a&q2=b"),
                    "POST",
                    BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(form(999).getBytes(StandardCharsets.UTF_8))),
                    "Content-Type",
                    "application/x-www-form-urlencoded");
            assertThat(chunked.statusCode()).isEqualTo(400);
            assertThat(chunked.body()).contains("too_many_form_fields");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aQueryWithTooManyFieldsIs400BeforeTheApp(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RequestLimits limits = RequestLimits.builder().maxFormFields(3).build();
        try (TestServer server = start(container, limits, parameters(calls))) {
            assertThat(Http.get(server.uri("/search?a=1&b=2&c=3")).body()).isEqualTo("3 null");
            Http.Response rejected = Http.get(server.uri("/search?a=1&b=2&c=3&d=4"));
            assertThat(rejected.status()).isEqualTo(400);
            assertThat(rejected.body()).contains("\"detail\":\"request has more than 3 form fields\"");
            assertThat(calls).hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void tooManyMultipartPartsAre400(Container container) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        Path uploads = Files.createTempDirectory("bulwark-parts");
        HttpServlet app = Servlets.handler((request, response) -> {
            calls.incrementAndGet();
            int parts = 0;
            for (Part part : request.getParts()) {
                parts++;
            }
            response.getWriter().write(parts + " parts, a0=" + request.getParameter("a0"));
        });
        try (TestServer server = TestServer.builder(container)
                .filter(
                        "/*",
                        new RequestLimitsFilter(
                                RequestLimits.builder().maxMultipartParts(5).build()))
                .install(ctx -> {
                    ServletRegistration.Dynamic upload = ctx.addServlet("upload", app);
                    upload.setMultipartConfig(new MultipartConfigElement(uploads.toString()));
                    upload.addMapping("/upload");
                })
                .start()) {
            HttpResponse<String> ok = send(
                    server.uri("/upload"),
                    "POST",
                    BodyPublishers.ofString(multipart(5)),
                    "Content-Type",
                    "multipart/form-data; boundary=XyZ");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("5 parts, a0=v0");

            HttpResponse<String> rejected = send(
                    server.uri("/upload"),
                    "POST",
                    BodyPublishers.ofString(multipart(6)),
                    "Content-Type",
                    "multipart/form-data; boundary=XyZ");
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.body())
                    .contains("\"detail\":\"multipart request has more than 5 parts\"")
                    .contains("\"reason\":\"too_many_multipart_parts\"");
            assertThat(calls).hasValue(2);
        }
    }

    private static String multipart(int parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            sb.append("--XyZ\r\nContent-Disposition: form-data; name=\"a")
                    .append(i)
                    .append("\"\r\n\r\nv")
                    .append(i)
                    .append("\r\n");
        }
        return sb.append("--XyZ--\r\n").toString();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void longUrlsAre414AndHeaderCeilingsAre431(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RequestLimits limits = RequestLimits.builder()
                .maxUrlLength(100)
                .maxHeaderCount(20)
                .maxHeaderSize(2000)
                .build();
        try (TestServer server = start(container, limits, parameters(calls))) {
            Http.Response longUrl = Http.get(server.uri("/" + "a".repeat(100)));
            assertThat(longUrl.status()).isEqualTo(414);
            assertThat(longUrl.body()).contains("\"title\":\"URI Too Long\"").contains("\"limit\":100");

            StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            for (int i = 0; i < 20; i++) {
                many.append("X-H").append(i).append(": v\r\n");
            }
            Http.RawResponse tooMany =
                    Http.raw(server.port(), many.append("\r\n").toString());
            assertThat(tooMany.status()).isEqualTo(431);
            assertThat(tooMany.body()).contains("\"reason\":\"too_many_headers\"");

            Http.Response tooLarge = Http.send("GET", server.uri("/"), Map.of("X-Big", "b".repeat(2000)), null);
            assertThat(tooLarge.status()).isEqualTo(431);
            assertThat(tooLarge.body()).contains("\"reason\":\"headers_too_large\"");

            assertThat(Http.get(server.uri("/fine")).status()).isEqualTo(200);
            assertThat(calls).hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bodySizeOverridesApplyByPath(Container container) {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong seen = new AtomicLong();
        RequestLimits limits = RequestLimits.builder()
                .maxBodySize(1000)
                .maxBodySize("/uploads/**", 5000)
                .build();
        try (TestServer server = start(container, limits, reader(calls, seen))) {
            BodyPublisher body = BodyPublishers.ofByteArray(new byte[3000]);
            assertThat(send(server.uri("/uploads/a"), "PUT", body).body()).isEqualTo("read 3000");
            assertThat(send(server.uri("/other"), "PUT", body).statusCode()).isEqualTo(413);
            assertThat(send(server.uri("/exact"), "PUT", BodyPublishers.ofByteArray(new byte[1000]))
                            .body())
                    .isEqualTo("read 1000");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aChunkedBodyReadThroughGetReaderIsCountedToo(Container container) {
        AtomicLong seen = new AtomicLong();
        HttpServlet app = Servlets.handler((request, response) -> {
            char[] buffer = new char[1024];
            long total = 0;
            int n;
            while ((n = request.getReader().read(buffer)) > 0) {
                total += n;
                seen.set(total);
            }
            response.getWriter().write("read " + total);
        });
        RequestLimits limits = RequestLimits.builder().maxBodySize(50_000).build();
        try (TestServer server = start(container, limits, app)) {
            HttpResponse<String> small = send(
                    server.uri("/text"),
                    "POST",
                    BodyPublishers.ofInputStream(() -> bytes(50_000)),
                    "Content-Type",
                    "text/plain;charset=UTF-8");
            assertThat(small.body()).isEqualTo("read 50000");
            HttpResponse<String> large = send(
                    server.uri("/text"),
                    "POST",
                    BodyPublishers.ofInputStream(() -> bytes(200_000)),
                    "Content-Type",
                    "text/plain;charset=UTF-8");
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(large.body()).contains("\"limit\":50000");
            assertThat(seen.get()).isLessThanOrEqualTo(50_000);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aLimitBrokenAfterTheResponseIsCommittedClosesTheConnection(Container container) {
        AtomicLong seen = new AtomicLong();
        HttpServlet app = Servlets.handler((request, response) -> {
            response.getWriter().write("started");
            response.flushBuffer(); // committed: the status can no longer change
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                seen.set(total);
            }
        });
        RequestLimits limits = RequestLimits.builder().maxBodySize(100_000).build();
        try (TestServer server = start(container, limits, app)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            send(server.uri("/stream"), "POST", BodyPublishers.ofInputStream(() -> bytes(1_000_000))))
                    .isInstanceOf(UncheckedIOException.class);
            assertThat(seen.get()).isLessThanOrEqualTo(100_000);
        }
    }
}
