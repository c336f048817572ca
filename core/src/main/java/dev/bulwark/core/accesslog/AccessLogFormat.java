package dev.bulwark.core.accesslog;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.internal.Checks;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an access log line looks: a named preset or a pattern of Gunicorn atoms, parsed once, then rendered per request
 * with no regular expression, no {@code String.format} and no per-request date formatting.
 *
 * <p>Presets ({@link #of(String)}):
 *
 * <ul>
 *   <li>{@code gunicorn}: the seed's {@code access_log_format}, {@value #GUNICORN};
 *   <li>{@code combined}: Apache/nginx combined, {@value #COMBINED};
 *   <li>{@code common}: the Common Log Format, {@value #COMMON};
 *   <li>{@code json}: one JSON object per line with stable field names, in this order: {@code time} (ISO-8601 with
 *       milliseconds and offset), {@code client}, {@code peer}, {@code forwardedFor}, {@code user}, {@code method},
 *       {@code path}, {@code query}, {@code protocol}, {@code status}, {@code bytes}, {@code referrer}, {@code
 *       userAgent}, {@code durationSeconds}, {@code rejection}; absent values are {@code null}.
 * </ul>
 *
 * <p>Pattern syntax (Gunicorn's): {@code %(atom)s} inserts an atom, {@code %%} a percent sign, anything else is
 * literal. Atoms: {@code h} client address (resolved behind trusted proxies), {@code l} {@code -}, {@code u} user,
 * {@code t} time as {@code [10/Oct/2000:13:55:36 -0700]}, {@code r} request line, {@code m} method, {@code U} path,
 * {@code q} query string, {@code H} protocol, {@code s} status, {@code B} response bytes, {@code b} response bytes or
 * {@code -} for none, {@code f} referrer, {@code a} user agent, {@code T} request time in whole seconds, {@code M} in
 * milliseconds, {@code D} in microseconds, {@code L} in decimal seconds, {@code p} process id, {@code {name}i} a
 * request header, {@code {name}o} a response header; and Bulwark's own: {@code client} (= {@code h}), {@code peer}
 * (the connection's peer), {@code forwarded} (the raw forwarded chain) and {@code rejection} (such as {@code
 * limits/body_too_large}). An absent value prints {@code -} ({@code q}: nothing).
 *
 * <p><b>No log injection:</b> every value is escaped: quotes and backslashes as {@code \"} and {@code \\}, CR, LF and
 * tab as {@code \r}, {@code \n}, {@code \t}, other control characters as {@code \xHH} (in JSON, as a Unicode escape).
 *
 * <p>Instances are immutable and safe for concurrent use.
 */
public final class AccessLogFormat {

    /** The seed's Gunicorn {@code access_log_format}. */
    public static final String GUNICORN =
            "%({x-forwarded-for}i)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" %(L)s";
    /** The Apache/nginx combined format. */
    public static final String COMBINED = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";
    /** The Common Log Format. */
    public static final String COMMON = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s";
    /** The name of the JSON preset. */
    public static final String JSON = "json";

    private static final List<String> ATOMS = List.of(
            "h",
            "l",
            "u",
            "t",
            "r",
            "m",
            "U",
            "q",
            "H",
            "s",
            "B",
            "b",
            "f",
            "a",
            "T",
            "M",
            "D",
            "L",
            "p",
            "client",
            "peer",
            "forwarded",
            "rejection");

    private static final int LITERAL = -1;
    private static final int REQUEST_HEADER = -2;
    private static final int RESPONSE_HEADER = -3;
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private final String name;
    private final String pattern;
    private final boolean json;
    private final ZoneId zone;
    private final int[] kinds;
    private final String[] args;
    private final Clock clock;

    private AccessLogFormat(String name, String pattern, boolean json, ZoneId zone) {
        this.name = name;
        this.pattern = pattern;
        this.json = json;
        this.zone = zone;
        List<Integer> kindList = new ArrayList<>();
        List<String> argList = new ArrayList<>();
        if (!json) {
            parse(pattern, kindList, argList);
        }
        this.kinds = kindList.stream().mapToInt(Integer::intValue).toArray();
        this.args = argList.toArray(new String[0]);
        this.clock = new Clock(zone);
    }

    /**
     * Returns the format for a preset name ({@code gunicorn}, {@code combined}, {@code common}, {@code json}, in any
     * case) or a pattern, with times in the system's default zone.
     *
     * @throws IllegalArgumentException if the pattern is invalid (an unknown atom, a lone {@code %}, a control
     *     character), naming the problem
     */
    public static AccessLogFormat of(String formatOrPattern) {
        return of(formatOrPattern, ZoneId.systemDefault());
    }

    /**
     * Returns the format for a preset name or a pattern, with times in the given zone.
     *
     * @throws IllegalArgumentException if the pattern is invalid
     */
    public static AccessLogFormat of(String formatOrPattern, ZoneId zone) {
        requireNonNull(formatOrPattern, "formatOrPattern");
        requireNonNull(zone, "zone");
        String key = formatOrPattern.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "gunicorn" -> new AccessLogFormat("gunicorn", GUNICORN, false, zone);
            case "combined" -> new AccessLogFormat("combined", COMBINED, false, zone);
            case "common" -> new AccessLogFormat("common", COMMON, false, zone);
            case JSON -> new AccessLogFormat(JSON, JSON, true, zone);
            default -> {
                Checks.requireArgument(
                        !formatOrPattern.isBlank(),
                        "access log format must be gunicorn, combined, common, json or a pattern such as"
                                + " '%%(h)s \"%%(r)s\" %%(s)s'");
                yield new AccessLogFormat("custom", formatOrPattern, false, zone);
            }
        };
    }

    /** Returns this format with times rendered in another zone. */
    public AccessLogFormat withZone(ZoneId zone) {
        return new AccessLogFormat(name, pattern, json, requireNonNull(zone, "zone"));
    }

    private static void parse(String pattern, List<Integer> kinds, List<String> args) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        "access log pattern must not contain control characters: '" + Checks.escape(pattern) + "'");
            }
        }
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && pattern.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            if (i + 1 >= n || pattern.charAt(i + 1) != '(') {
                throw new IllegalArgumentException("access log pattern has a '%' at index " + i
                        + " that starts no atom: write %(atom)s, or %% for a percent sign: '" + pattern + "'");
            }
            int close = pattern.indexOf(")s", i + 2);
            if (close < 0) {
                throw new IllegalArgumentException("access log pattern has an unterminated atom at index " + i
                        + " (expected ')s'): '" + pattern + "'");
            }
            String atom = pattern.substring(i + 2, close);
            if (literal.length() > 0) {
                kinds.add(LITERAL);
                args.add(literal.toString());
                literal.setLength(0);
            }
            if (atom.startsWith("{") && atom.length() > 3 && atom.charAt(atom.length() - 2) == '}') {
                String header = atom.substring(1, atom.length() - 2);
                char type = atom.charAt(atom.length() - 1);
                Checks.requireArgument(
                        Checks.isToken(header), "access log pattern has an invalid header name in '%%(%s)s'", atom);
                if (type == 'i') {
                    kinds.add(REQUEST_HEADER);
                } else if (type == 'o') {
                    kinds.add(RESPONSE_HEADER);
                } else {
                    throw new IllegalArgumentException("access log atom '%(" + atom
                            + ")s' is not supported: {name}i is a request header, {name}o a response header");
                }
                args.add(header);
            } else {
                int index = ATOMS.indexOf(atom);
                if (index < 0) {
                    throw new IllegalArgumentException("unknown access log atom '%(" + atom + ")s'; known atoms: "
                            + String.join(", ", ATOMS) + ", {header}i, {header}o");
                }
                kinds.add(index);
                args.add("");
            }
            i = close + 2;
        }
        if (literal.length() > 0) {
            kinds.add(LITERAL);
            args.add(literal.toString());
        }
        if (!kinds.stream().anyMatch(k -> k != LITERAL)) {
            throw new IllegalArgumentException("access log format '" + pattern
                    + "' is neither a preset (gunicorn, combined, common, json) nor a pattern with an atom such as"
                    + " %(h)s");
        }
    }

    /** Returns the preset name ({@code gunicorn}, {@code combined}, {@code common}, {@code json}) or {@code custom}. */
    public String name() {
        return name;
    }

    /** Returns the pattern, or {@code json} for the JSON preset. */
    public String pattern() {
        return pattern;
    }

    /** Returns whether lines are JSON objects. */
    public boolean isJson() {
        return json;
    }

    /** Returns the zone times are rendered in. */
    public ZoneId zone() {
        return zone;
    }

    /** Renders one line (without a line break). */
    public String format(AccessLogEntry entry) {
        StringBuilder sb = new StringBuilder(256);
        format(entry, sb);
        return sb.toString();
    }

    /** Appends one line (without a line break) to {@code out}. */
    public void format(AccessLogEntry entry, StringBuilder out) {
        if (json) {
            formatJson(entry, out);
            return;
        }
        int[] k = kinds;
        for (int i = 0; i < k.length; i++) {
            switch (k[i]) {
                case LITERAL -> out.append(args[i]);
                case REQUEST_HEADER -> orDash(out, entry.requestHeader(args[i]));
                case RESPONSE_HEADER -> orDash(out, entry.responseHeader(args[i]));
                case 0, 19 -> Escaping.appendText(out, entry.clientAddress()); // h, client
                case 1 -> out.append('-'); // l
                case 2 -> orDash(out, entry.user()); // u
                case 3 -> clock.appendClf(out, entry.startMillis()); // t
                case 4 -> requestLine(out, entry); // r
                case 5 -> Escaping.appendText(out, entry.method()); // m
                case 6 -> Escaping.appendText(out, entry.requestUri()); // U
                case 7 -> { // q
                    String q = entry.query();
                    if (q != null) {
                        Escaping.appendText(out, q);
                    }
                }
                case 8 -> Escaping.appendText(out, entry.protocol()); // H
                case 9 -> out.append(entry.status()); // s
                case 10 -> out.append(entry.bytesSent()); // B
                case 11 -> { // b
                    long bytes = entry.bytesSent();
                    if (bytes > 0) {
                        out.append(bytes);
                    } else {
                        out.append('-');
                    }
                }
                case 12 -> orDash(out, entry.requestHeader("Referer")); // f
                case 13 -> orDash(out, entry.requestHeader("User-Agent")); // a
                case 14 -> out.append(entry.durationNanos() / 1_000_000_000L); // T
                case 15 -> out.append(entry.durationNanos() / 1_000_000L); // M
                case 16 -> out.append(entry.durationNanos() / 1_000L); // D
                case 17 -> decimalSeconds(out, entry.durationNanos()); // L
                case 18 -> out.append(PID); // p
                case 20 -> Escaping.appendText(out, entry.peerAddress()); // peer
                case 21 -> orDash(out, entry.forwardedChain()); // forwarded
                case 22 -> { // rejection
                    Rejection rejection = entry.rejection();
                    if (rejection == null) {
                        out.append('-');
                    } else {
                        out.append(rejection.capability()).append('/').append(rejection.reason());
                    }
                }
                default -> throw new IllegalStateException("unknown atom kind " + k[i]);
            }
        }
    }

    private static void orDash(StringBuilder out, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            out.append('-');
        } else {
            Escaping.appendText(out, value);
        }
    }

    private static void requestLine(StringBuilder out, AccessLogEntry entry) {
        Escaping.appendText(out, entry.method());
        out.append(' ');
        Escaping.appendText(out, entry.requestUri());
        String query = entry.query();
        if (query != null) {
            out.append('?');
            Escaping.appendText(out, query);
        }
        out.append(' ');
        Escaping.appendText(out, entry.protocol());
    }

    /** Appends nanoseconds as decimal seconds with microsecond precision, as Gunicorn's {@code L}: {@code 0.001234}. */
    static void decimalSeconds(StringBuilder out, long nanos) {
        long micros = Math.max(0, nanos) / 1_000L;
        out.append(micros / 1_000_000L).append('.');
        long fraction = micros % 1_000_000L;
        for (long scale = 100_000L; scale > 1 && fraction < scale; scale /= 10) {
            out.append('0');
        }
        out.append(fraction);
    }

    private void formatJson(AccessLogEntry e, StringBuilder out) {
        out.append("{\"time\":\"");
        clock.appendIso(out, e.startMillis());
        out.append("\",\"client\":");
        Escaping.appendJson(out, e.clientAddress());
        out.append(",\"peer\":");
        Escaping.appendJson(out, e.peerAddress());
        out.append(",\"forwardedFor\":");
        jsonOrNull(out, e.forwardedChain());
        out.append(",\"user\":");
        jsonOrNull(out, e.user());
        out.append(",\"method\":");
        Escaping.appendJson(out, e.method());
        out.append(",\"path\":");
        Escaping.appendJson(out, e.requestUri());
        out.append(",\"query\":");
        jsonOrNull(out, e.query());
        out.append(",\"protocol\":");
        Escaping.appendJson(out, e.protocol());
        out.append(",\"status\":").append(e.status());
        out.append(",\"bytes\":").append(e.bytesSent());
        out.append(",\"referrer\":");
        jsonOrNull(out, e.requestHeader("Referer"));
        out.append(",\"userAgent\":");
        jsonOrNull(out, e.requestHeader("User-Agent"));
        out.append(",\"durationSeconds\":");
        decimalSeconds(out, e.durationNanos());
        out.append(",\"rejection\":");
        Rejection rejection = e.rejection();
        if (rejection == null) {
            out.append("null");
        } else {
            out.append('"')
                    .append(rejection.capability())
                    .append('/')
                    .append(rejection.reason())
                    .append('"');
        }
        out.append('}');
    }

    private static void jsonOrNull(StringBuilder out, @Nullable String value) {
        if (value == null) {
            out.append("null");
        } else {
            Escaping.appendJson(out, value);
        }
    }

    @Override
    public String toString() {
        return "AccessLogFormat[" + name + (name.equals("custom") ? " " + pattern : "") + ", " + zone + "]";
    }

    /**
     * Renders timestamps, formatting each second once: a request renders only the cached second plus, for JSON, its
     * milliseconds. Thread-safe: the cache is one immutable holder behind a volatile field.
     */
    private static final class Clock {
        private static final DateTimeFormatter CLF =
                DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH);
        private static final DateTimeFormatter ISO_SECOND =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
        private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ofPattern("XXX", Locale.ROOT);

        private record Second(long epochSecond, String clf, String isoSecond, String isoOffset) {}

        private final ZoneId zone;
        private volatile Second cached;

        Clock(ZoneId zone) {
            this.zone = zone;
            this.cached = second(0);
        }

        private Second second(long epochSecond) {
            ZonedDateTime time = Instant.ofEpochSecond(epochSecond).atZone(zone);
            return new Second(epochSecond, CLF.format(time), ISO_SECOND.format(time), ISO_OFFSET.format(time));
        }

        private Second at(long epochMillis) {
            long epochSecond = Math.floorDiv(epochMillis, 1000L);
            Second s = cached;
            if (s.epochSecond() != epochSecond) {
                s = second(epochSecond);
                cached = s;
            }
            return s;
        }

        void appendClf(StringBuilder out, long epochMillis) {
            out.append(at(epochMillis).clf());
        }

        void appendIso(StringBuilder out, long epochMillis) {
            Second s = at(epochMillis);
            int millis = (int) Math.floorMod(epochMillis, 1000L);
            out.append(s.isoSecond()).append('.');
            if (millis < 100) {
                out.append('0');
            }
            if (millis < 10) {
                out.append('0');
            }
            out.append(millis).append(s.isoOffset());
        }
    }
}
