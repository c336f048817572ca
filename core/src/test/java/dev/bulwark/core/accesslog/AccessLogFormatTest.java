package dev.bulwark.core.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.Rejection;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogFormatTest {

    private static final ZoneId MINUS_SEVEN = ZoneOffset.ofHours(-7);

    private static String format(String spec, TestEntry entry) {
        return AccessLogFormat.of(spec, MINUS_SEVEN).format(entry);
    }

    @Test
    void gunicornIsTheSeedsFormat() {
        assertThat(format("gunicorn", new TestEntry()))
                .isEqualTo("203.0.113.50, 198.51.100.7 - frank [10/Oct/2000:13:55:36 -0700]"
                        + " \"GET /apache_pb.gif?a=1 HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\""
                        + " \"Mozilla/4.08 [en] (Win98; I ;Nav)\" 1.234567");
    }

    @Test
    void combinedAndCommonAreApachesWithTheResolvedClient() {
        assertThat(format("combined", new TestEntry()))
                .isEqualTo("198.51.100.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?a=1 HTTP/1.0\""
                        + " 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"");
        assertThat(format("COMMON", new TestEntry()))
                .isEqualTo("198.51.100.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?a=1 HTTP/1.0\""
                        + " 200 2326");
    }

    @Test
    void jsonHasStableFieldNamesAndNulls() {
        TestEntry entry = new TestEntry();
        entry.user = null;
        entry.query = null;
        entry.rejection = Rejection.of("limits", "body_too_large");
        assertThat(format("json", entry))
                .isEqualTo("{\"time\":\"2000-10-10T13:55:36.123-07:00\",\"client\":\"198.51.100.7\","
                        + "\"peer\":\"10.0.0.2\",\"forwardedFor\":\"203.0.113.50, 198.51.100.7\",\"user\":null,"
                        + "\"method\":\"GET\",\"path\":\"/apache_pb.gif\",\"query\":null,\"protocol\":\"HTTP/1.0\","
                        + "\"status\":200,\"bytes\":2326,\"referrer\":\"http://www.example.com/start.html\","
                        + "\"userAgent\":\"Mozilla/4.08 [en] (Win98; I ;Nav)\",\"durationSeconds\":1.234567,"
                        + "\"rejection\":\"limits/body_too_large\"}");
        assertThat(AccessLogFormat.of("json", ZoneOffset.UTC).format(entry))
                .startsWith("{\"time\":\"2000-10-10T20:55:36.123Z\"");
    }

    @Test
    void everyAtomOfAUserPattern() {
        TestEntry entry = new TestEntry();
        entry.responseHeaders.put("X-Request-Id", "r-1");
        String line = format(
                "%(h)s|%(l)s|%(u)s|%(t)s|%(r)s|%(m)s|%(U)s|%(q)s|%(H)s|%(s)s|%(B)s|%(b)s|%(f)s|%(a)s|%(T)s|%(M)s"
                        + "|%(D)s|%(L)s|%(client)s|%(peer)s|%(forwarded)s|%(rejection)s|%({user-agent}i)s"
                        + "|%({X-Request-Id}o)s|%({missing}i)s|%%",
                entry);
        assertThat(line.split("\\|", -1))
                .containsExactly(
                        "198.51.100.7",
                        "-",
                        "frank",
                        "[10/Oct/2000:13:55:36 -0700]",
                        "GET /apache_pb.gif?a=1 HTTP/1.0",
                        "GET",
                        "/apache_pb.gif",
                        "a=1",
                        "HTTP/1.0",
                        "200",
                        "2326",
                        "2326",
                        "http://www.example.com/start.html",
                        "Mozilla/4.08 [en] (Win98; I ;Nav)",
                        "1",
                        "1234",
                        "1234567",
                        "1.234567",
                        "198.51.100.7",
                        "10.0.0.2",
                        "203.0.113.50, 198.51.100.7",
                        "-",
                        "Mozilla/4.08 [en] (Win98; I ;Nav)",
                        "r-1",
                        "-",
                        "%");
    }

    @Test
    void absentValuesPrintDashAndNoBodyPrintsDashForLowerB() {
        TestEntry entry = new TestEntry();
        entry.user = null;
        entry.forwarded = null;
        entry.query = null;
        entry.bytes = 0;
        entry.requestHeaders.clear();
        assertThat(format("%(u)s %(forwarded)s [%(q)s] %(b)s %(B)s %(f)s %(a)s %(r)s", entry))
                .isEqualTo("- - [] - 0 - - GET /apache_pb.gif HTTP/1.0");
    }

    @ParameterizedTest
    @CsvSource({"0, 0.000000", "999, 0.000000", "1000, 0.000001", "1500000, 0.001500", "61000000000, 61.000000"})
    void decimalSecondsHaveMicrosecondPrecision(long nanos, String text) {
        StringBuilder sb = new StringBuilder();
        AccessLogFormat.decimalSeconds(sb, nanos);
        assertThat(sb).hasToString(text);
    }

    @Test
    void crLfQuotesAndControlCharactersInTheRequestLineAreEscapedInEveryFormat() {
        TestEntry entry = new TestEntry();
        entry.uri = "/a\r\n127.0.0.1 - - [x] \"GET /admin\" 200\u0000\u2028";
        entry.query = "q=\\\"";
        entry.requestHeaders.put("User-Agent", "ua\"\t\u0085\u007f");
        String combined = format("combined", entry);
        String gunicorn = format("gunicorn", entry);
        String json = format("json", entry);
        for (String line : new String[] {combined, gunicorn, json}) {
            assertThat(line).doesNotContain("\r", "\n", "\u0000", "\u2028", "\u0085", "\u007f", "\t");
        }
        assertThat(combined)
                .contains("\"GET /a\\r\\n127.0.0.1 - - [x] \\\"GET /admin\\\" 200\\x00\\u2028?q=\\\\\\\" HTTP/1.0\"")
                .endsWith("\"ua\\\"\\t\\x85\\x7f\"");
        assertThat(gunicorn).contains("\"GET /a\\r\\n127.0.0.1 - - [x] \\\"GET /admin\\\" 200\\x00\\u2028?q=");
        assertThat(json)
                .contains("\"path\":\"/a\\r\\n127.0.0.1 - - [x] \\\"GET /admin\\\" 200\\u0000\\u2028\"")
                .contains("\"query\":\"q=\\\\\\\"\"")
                .contains("\"userAgent\":\"ua\\\"\\t\\u0085\\u007f\"");
    }

    @Test
    void timesAreFormattedPerSecondInTheConfiguredZone() {
        TestEntry entry = new TestEntry();
        AccessLogFormat utc = AccessLogFormat.of("%(t)s", ZoneOffset.UTC);
        assertThat(utc.format(entry)).isEqualTo("[10/Oct/2000:20:55:36 +0000]");
        entry.startMillis += 1000;
        assertThat(utc.format(entry)).isEqualTo("[10/Oct/2000:20:55:37 +0000]");
        assertThat(utc.withZone(ZoneId.of("Europe/Paris")).format(entry)).isEqualTo("[10/Oct/2000:22:55:37 +0200]");
    }

    @Test
    void presetsAndPatternsAreNamed() {
        assertThat(AccessLogFormat.of("Gunicorn").name()).isEqualTo("gunicorn");
        assertThat(AccessLogFormat.of("gunicorn").pattern()).isEqualTo(AccessLogFormat.GUNICORN);
        assertThat(AccessLogFormat.of("json").isJson()).isTrue();
        AccessLogFormat custom = AccessLogFormat.of("%(s)s", ZoneOffset.UTC);
        assertThat(custom.name()).isEqualTo("custom");
        assertThat(custom).hasToString("AccessLogFormat[custom %(s)s, Z]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "%(x)s|unknown access log atom '%(x)s'; known atoms: h, l, u, t, r, m, U, q, H, s, B, b, f, a, T, M, D,"
                        + " L, p, client, peer, forwarded, rejection, {header}i, {header}o",
                "%h|access log pattern has a '%' at index 0 that starts no atom: write %(atom)s, or %% for a percent"
                        + " sign: '%h'",
                "apache|access log format 'apache' is neither a preset (gunicorn, combined, common, json) nor a pattern"
                        + " with an atom such as %(h)s",
                "a %(h|access log pattern has an unterminated atom at index 2 (expected ')s'): 'a %(h'",
                "%({a b}i)s|access log pattern has an invalid header name in '%({a b}i)s'",
                "%({host}e)s|access log atom '%({host}e)s' is not supported: {name}i is a request header, {name}o a"
                        + " response header",
                " |access log format must be gunicorn, combined, common, json or a pattern such as '%(h)s \"%(r)s\""
                        + " %(s)s'",
            })
    void invalidPatternsFailNamingTheProblem(String row) {
        int bar = row.indexOf('|');
        assertThatThrownBy(() -> AccessLogFormat.of(row.substring(0, bar)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(row.substring(bar + 1));
    }

    @Test
    void controlCharactersInAPatternAreRejected() {
        assertThatThrownBy(() -> AccessLogFormat.of("%(h)s\n%(s)s"))
                .hasMessage("access log pattern must not contain control characters: '%(h)s\\n%(s)s'");
    }
}
