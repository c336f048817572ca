package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.accesslog.AccessLog;
import dev.bulwark.core.accesslog.AccessLogSink;
import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.limits.LimitDecision;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The access log on real Jetty 12 and Tomcat 11: every format parsed back field by field, escaping of hostile values,
 * exclusions, sampling, and the default SLF4J sink.
 */
class AccessLogFilterTest {

    private static final String UA = "test-agent/1.0 (like \"curl\")";
    private static final String REFERER = "https://app.example.com/page?x=1";
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    /** Collects lines. */
    static final class Lines implements AccessLogSink {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void write(String line) {
            synchronized (this) {
                lines.add(line);
                notifyAll();
            }
        }

        /**
         * Waits until {@code count} lines are written. A test whose last response byte is written inside the filter
         * chain (a rejection with a {@code Content-Length}) must wait before stopping the server: the client can have
         * the whole response while the server thread is still returning from the write, and a server stopped at that
         * moment fails the write (Jetty: {@code EofException}), so the line would count 0 body bytes.
         */
        synchronized void await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (lines.size() < count) {
                long left = deadline - System.nanoTime();
                assertThat(left)
                        .as("%s access log lines within 5 s, got %s", count, lines)
                        .isPositive();
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        String only() {
            assertThat(lines).hasSize(1);
            return lines.get(0);
        }
    }

    private static HttpServlet app() {
        return Servlets.handler((request, response) -> {
            if (request.getRequestURI().startsWith("/missing")) {
                response.sendError(404);
                return;
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("X-Request-Id", "req-42");
            response.getWriter().write("héllo"); // 6 bytes in UTF-8
        });
    }

    /** Client identity trusting the loopback proxy, then the access log, then the app. */
    private static TestServer start(Container container, AccessLog log) {
        return TestServer.builder(container)
                .filter(
                        "/*",
                        new ClientIdentityFilter(ClientAddressResolver.builder()
                                .trustedProxies(List.of("127.0.0.1", "::1"))
                                .build()))
                .filter("/*", new AccessLogFilter(log))
                .servlet("/*", app())
                .start();
    }

    private static Http.Response get(TestServer server, String pathAndQuery) {
        return Http.send(
                "GET",
                server.uri(pathAndQuery),
                Map.of(
                        "X-Forwarded-For", "203.0.113.50, 198.51.100.7",
                        "User-Agent", UA,
                        "Referer", REFERER),
                null);
    }

    private static AccessLog log(String format, Lines lines) {
        return AccessLog.builder()
                .format(format)
                .zone(ZoneOffset.ofHours(-7))
                .sink(lines)
                .build();
    }

    private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";

    private static Matcher match(String regex, String line) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertThat(m.matches()).as("%s matches %s", line, regex).isTrue();
        return m;
    }

    private static void assertRecentClfTime(String time) {
        ZonedDateTime parsed = ZonedDateTime.parse(time, CLF);
        assertThat(parsed.getOffset()).isEqualTo(ZoneOffset.ofHours(-7));
        assertThat(parsed.toInstant()).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void gunicornLinesParseBackFieldByField(Container container) {
        Lines lines = new Lines();
        try (TestServer server = start(container, log("gunicorn", lines))) {
            get(server, "/api/items?page=2");
        }
        // %({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s
        Matcher m = match(
                "(.*) (\\S+) (\\S+) \\[([^\\]]+)\\] " + QUOTED + " (\\d{3}) (\\S+) " + QUOTED + " " + QUOTED
                        + " (\\d+\\.\\d{6})",
                lines.only());
        assertThat(m.group(1)).isEqualTo("203.0.113.50, 198.51.100.7");
        assertThat(m.group(2)).isEqualTo("-");
        assertThat(m.group(3)).isEqualTo("-");
        assertRecentClfTime(m.group(4));
        assertThat(m.group(5)).isEqualTo("GET /api/items?page=2 HTTP/1.1");
        assertThat(m.group(6)).isEqualTo("200");
        assertThat(m.group(7)).isEqualTo("6");
        assertThat(m.group(8)).isEqualTo(REFERER);
        assertThat(m.group(9)).isEqualTo("test-agent/1.0 (like \\\"curl\\\")");
        assertThat(Double.parseDouble(m.group(10))).isBetween(0.0, 10.0);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void combinedLinesParseBackFieldByFieldWithTheResolvedClient(Container container) {
        Lines lines = new Lines();
        try (TestServer server = start(container, log("combined", lines))) {
            get(server, "/api/items");
            get(server, "/missing");
        }
        Matcher m = match(
                "(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] " + QUOTED + " (\\d{3}) (\\S+) " + QUOTED + " " + QUOTED,
                lines.lines.get(0));
        assertThat(m.group(1)).isEqualTo("198.51.100.7"); // the right-most untrusted hop, not the spoofable left
        assertThat(m.group(2)).isEqualTo("-");
        assertThat(m.group(3)).isEqualTo("-");
        assertRecentClfTime(m.group(4));
        assertThat(m.group(5)).isEqualTo("GET /api/items HTTP/1.1");
        assertThat(m.group(6)).isEqualTo("200");
        assertThat(m.group(7)).isEqualTo("6");
        assertThat(m.group(8)).isEqualTo(REFERER);
        assertThat(m.group(9)).isEqualTo("test-agent/1.0 (like \\\"curl\\\")");

        Matcher missing =
                match("\\S+ - - \\[[^\\]]+\\] \"GET /missing HTTP/1.1\" (\\d{3}) (\\S+) .*", lines.lines.get(1));
        assertThat(missing.group(1)).isEqualTo("404");
        assertThat(missing.group(2)).isEqualTo("-"); // the container writes the error page after the filter
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void jsonLinesParseBackFieldByField(Container container) {
        Lines lines = new Lines();
        try (TestServer server = start(container, log("json", lines))) {
            get(server, "/api/items?page=2&q=%22x%22");
        }
        Map<String, @Nullable Object> json = FlatJson.parse(lines.only());
        assertThat(json.keySet())
                .containsExactly(
                        "time",
                        "client",
                        "peer",
                        "forwardedFor",
                        "user",
                        "method",
                        "path",
                        "query",
                        "protocol",
                        "status",
                        "bytes",
                        "referrer",
                        "userAgent",
                        "durationSeconds",
                        "rejection");
        ZonedDateTime time = ZonedDateTime.parse((String) json.get("time"));
        assertThat(time.getOffset()).isEqualTo(ZoneOffset.ofHours(-7));
        assertThat(json.get("time").toString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}-07:00");
        assertThat(json.get("client")).isEqualTo("198.51.100.7");
        assertThat(json.get("peer")).isEqualTo("127.0.0.1");
        assertThat(json.get("forwardedFor")).isEqualTo("203.0.113.50, 198.51.100.7");
        assertThat(json.get("user")).isNull();
        assertThat(json.get("method")).isEqualTo("GET");
        assertThat(json.get("path")).isEqualTo("/api/items");
        assertThat(json.get("query")).isEqualTo("page=2&q=%22x%22");
        assertThat(json.get("protocol")).isEqualTo("HTTP/1.1");
        assertThat(json.get("status")).isEqualTo(200.0);
        assertThat(json.get("bytes")).isEqualTo(6.0);
        assertThat(json.get("referrer")).isEqualTo(REFERER);
        assertThat(json.get("userAgent")).isEqualTo(UA);
        assertThat((Double) json.get("durationSeconds")).isBetween(0.0, 10.0);
        assertThat(json.get("rejection")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aUserPatternParsesBackFieldByField(Container container) {
        Lines lines = new Lines();
        String pattern = "%(client)s|%(peer)s|%(forwarded)s|%(m)s|%(U)s|%(q)s|%(H)s|%(s)s|%(B)s|%({x-request-id}o)s|"
                + "%(rejection)s|%(D)s|100%%";
        try (TestServer server = start(container, log(pattern, lines))) {
            get(server, "/api/items?page=2");
        }
        String[] fields = lines.only().split("\\|", -1);
        assertThat(fields).hasSize(13);
        assertThat(fields[0]).isEqualTo("198.51.100.7");
        assertThat(fields[1]).isEqualTo("127.0.0.1");
        assertThat(fields[2]).isEqualTo("203.0.113.50, 198.51.100.7");
        assertThat(fields[3]).isEqualTo("GET");
        assertThat(fields[4]).isEqualTo("/api/items");
        assertThat(fields[5]).isEqualTo("page=2");
        assertThat(fields[6]).isEqualTo("HTTP/1.1");
        assertThat(fields[7]).isEqualTo("200");
        assertThat(fields[8]).isEqualTo("6");
        assertThat(fields[9]).isEqualTo("req-42");
        assertThat(fields[10]).isEqualTo("-");
        assertThat(Long.parseLong(fields[11])).isNotNegative();
        assertThat(fields[12]).isEqualTo("100%");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hostileHeaderValuesOnTheWireAreEscaped(Container container) {
        Lines json = new Lines();
        Lines combined = new Lines();
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new AccessLogFilter(log("json", json)))
                .filter("/*", new AccessLogFilter(log("combined", combined)))
                .servlet("/*", app())
                .start()) {
            // quotes, a tab and U+0085 (NEL, a line break to some log viewers) reach the application on both containers
            byte[] request = ("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            + "User-Agent: a\"b\tc\u0085\" 200 0 \"-\" \"forged\r\n"
                            + "Referer: \\\"evil\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(Http.raw(server.port(), request).status()).isEqualTo(200);
        }
        assertThat(combined.only())
                .endsWith(
                        "\"GET /x HTTP/1.1\" 200 6 \"\\\\\\\"evil\" \"a\\\"b\\tc\\x85\\\" 200 0 \\\"-\\\" \\\"forged\"");
        Map<String, @Nullable Object> parsed = FlatJson.parse(json.only());
        assertThat(parsed.get("userAgent")).isEqualTo("a\"b\tc\u0085\" 200 0 \"-\" \"forged");
        assertThat(json.only()).contains("\"userAgent\":\"a\\\"b\\tc\\u0085\\\" 200 0 \\\"-\\\" \\\"forged\"");
        assertThat(parsed.get("referrer")).isEqualTo("\\\"evil");
    }

    /** Stands in for a lenient proxy or container that hands over a decoded request line. */
    static final class DecodingProxy extends HttpFilter {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public String getRequestURI() {
                            return "/a\r\n127.0.0.1 - - [01/Jan/2000:00:00:00 +0000] \"GET /admin HTTP/1.1\" 200";
                        }

                        @Override
                        public String getQueryString() {
                            return "q=\"\n";
                        }
                    },
                    response);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aRequestLineWithCrLfAndQuotesIsLoggedEscapedOnOneLine(Container container) {
        Lines combined = new Lines();
        Lines gunicorn = new Lines();
        Lines json = new Lines();
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new DecodingProxy())
                .filter("/*", new AccessLogFilter(log("combined", combined)))
                .filter("/*", new AccessLogFilter(log("gunicorn", gunicorn)))
                .filter("/*", new AccessLogFilter(log("json", json)))
                .servlet("/*", app())
                .start()) {
            Http.get(server.uri("/a"));
        }
        String escapedLine = "\"GET /a\\r\\n127.0.0.1 - - [01/Jan/2000:00:00:00 +0000] \\\"GET /admin HTTP/1.1\\\" 200"
                + "?q=\\\"\\n HTTP/1.1\"";
        for (String line : List.of(combined.only(), gunicorn.only(), json.only())) {
            assertThat(line).doesNotContain("\r").doesNotContain("\n");
        }
        assertThat(combined.only()).contains(escapedLine + " 200 6 ");
        assertThat(gunicorn.only()).contains(escapedLine + " 200 6 ");
        assertThat(FlatJson.parse(json.only()).get("path"))
                .isEqualTo("/a\r\n127.0.0.1 - - [01/Jan/2000:00:00:00 +0000] \"GET /admin HTTP/1.1\" 200");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void healthChecksAreExcludedAndRejectionsAreLogged(Container container) throws InterruptedException {
        Lines lines = new Lines();
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new AccessLogFilter(log("%(s)s %(U)s %(rejection)s %(B)s", lines)))
                .filter(
                        "/*",
                        new RequestLimitsFilter(
                                RequestLimits.builder().maxUrlLength(20).build()))
                .servlet("/*", app())
                .start()) {
            Http.get(server.uri("/health/live"));
            Http.get(server.uri("/actuator/health/readiness"));
            assertThat(Http.get(server.uri("/a-path-that-is-far-too-long")).status())
                    .isEqualTo(414);
            lines.await(1);
        }
        int bodyLength =
                LimitDecision.rejected(LimitDecision.Reason.URL_TOO_LONG, 20).bodyLength();
        assertThat(lines.lines).containsExactly("414 /a-path-that-is-far-too-long limits/url_too_long " + bodyLength);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void samplingLogsAFractionOfSuccessesButEveryError(Container container) {
        Lines lines = new Lines();
        AccessLog sampled =
                AccessLog.builder().format("%(s)s").sampleRate(0.0).sink(lines).build();
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new AccessLogFilter(sampled))
                .servlet("/*", app())
                .start()) {
            for (int i = 0; i < 5; i++) {
                Http.get(server.uri("/ok"));
            }
            Http.get(server.uri("/missing"));
        }
        assertThat(lines.lines).containsExactly("404");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theDefaultSinkIsTheBulwarkAccessLogger(Container container) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (TestServer server = TestServer.builder(container)
                .filter(
                        "/*",
                        new AccessLogFilter(AccessLog.builder().format("common").build()))
                .servlet("/*", app())
                .start()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                Http.get(server.uri("/logged"));
            } finally {
                System.setErr(original);
            }
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .containsPattern(
                        "INFO bulwark\\.access - 127\\.0\\.0\\.1 - - \\[[^\\]]+\\] \"GET /logged HTTP/1\\.1\" 200 6");
    }

    /** A parser for the flat JSON objects of the json format: string, number and null values only. */
    static final class FlatJson {
        private final String s;
        private int i;

        private FlatJson(String s) {
            this.s = s;
        }

        static Map<String, @Nullable Object> parse(String json) {
            return new FlatJson(json).object();
        }

        private Map<String, @Nullable Object> object() {
            Map<String, @Nullable Object> result = new LinkedHashMap<>();
            expect('{');
            while (true) {
                String key = string();
                expect(':');
                result.put(key, value());
                char c = s.charAt(i++);
                if (c == '}') {
                    assertThat(i).as("trailing characters in %s", s).isEqualTo(s.length());
                    return result;
                }
                assertThat(c).isEqualTo(',');
            }
        }

        private @Nullable Object value() {
            char c = s.charAt(i);
            if (c == '"') {
                return string();
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                assertThat(c).as("raw control character in a JSON string").isGreaterThanOrEqualTo(' ');
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new AssertionError("bad escape \\" + e + " in " + s);
                }
            }
        }

        private void expect(char c) {
            assertThat(s.charAt(i)).as("at %s of %s", i, s).isEqualTo(c);
            i++;
        }
    }
}
