package dev.bulwark.core.health;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rendered health response: status code, content type and body, ready to be written by a servlet filter.
 *
 * <p>Status {@code 200} for {@link Status#UP} and {@link Status#WARN}, {@code 503} for {@link Status#DOWN}. The
 * response must be sent with {@code Cache-Control: no-store} ({@link #CACHE_CONTROL}); for {@code HEAD} the filter
 * writes the status and headers without the body. What the body reveals is decided by {@link HealthDetails}:
 *
 * <pre>{@code
 * NEVER   {"status":"fail"}
 * CHECKS  {"status":"fail","checks":{"postgres:responseTime":[{"status":"fail","observedValue":200,
 *          "observedUnit":"ms","time":"2026-01-01T00:00:00Z","output":"timed out after 200 ms"}]}}
 * ALWAYS  … "output":"java.net.ConnectException: Connection refused","details":{…}
 * }</pre>
 *
 * <p>Instances are immutable (the body is copied on access) and safe for concurrent use; rendering is stateless and
 * allocation-light (no regular expressions, no reflection).
 *
 * @param statusCode the HTTP status code
 * @param contentType the {@code Content-Type} value, with {@code charset=utf-8}
 * @param body the body bytes (UTF-8)
 */
public record HealthResponse(int statusCode, String contentType, byte[] body) {

    /** The {@code Cache-Control} value health responses must carry. */
    public static final String CACHE_CONTROL = "no-store";

    /** The longest message or detail value written, in characters; longer text is cut. */
    static final int MAX_TEXT = 300;

    /** Copies the body. */
    public HealthResponse {
        requireNonNull(contentType, "contentType");
        body = requireNonNull(body, "body").clone();
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Returns the body as a string. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Renders a group result.
     *
     * @param result the evaluated group
     * @param format the body format
     * @param details what the body reveals; {@link HealthDetails#WHEN_AUTHORIZED} renders as {@link
     *     HealthDetails#NEVER} (resolve it per request with {@link HealthDetails#resolve(boolean)})
     */
    public static HealthResponse render(GroupResult result, HealthFormat format, HealthDetails details) {
        requireNonNull(result, "result");
        requireNonNull(format, "format");
        HealthDetails level = requireNonNull(details, "details").resolve(false);
        String contentType = format.mediaType() + ";charset=utf-8";
        if (format == HealthFormat.MINIMAL) {
            String body = "{\"status\":\"" + result.status().name() + "\"}";
            return new HealthResponse(result.httpStatus(), contentType, body.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder sb = new StringBuilder(
                level == HealthDetails.NEVER ? 24 : 128 + 160 * result.checks().size());
        sb.append("{\"status\":\"").append(result.status().healthJson()).append('"');
        if (level != HealthDetails.NEVER && !result.checks().isEmpty()) {
            sb.append(",\"checks\":{");
            boolean first = true;
            for (Map.Entry<String, ProbeResult> e : result.checks().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendCheck(sb, e.getKey(), e.getValue(), level == HealthDetails.ALWAYS);
            }
            sb.append('}');
        }
        sb.append('}');
        return new HealthResponse(
                result.httpStatus(), contentType, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void appendCheck(StringBuilder sb, String name, ProbeResult r, boolean all) {
        string(sb, name + ":responseTime");
        sb.append(":[{\"status\":\"").append(r.status().healthJson()).append('"');
        sb.append(",\"observedValue\":");
        long micros = r.duration().toNanos() / 1000;
        sb.append(micros / 1000);
        long frac = micros % 1000;
        if (frac != 0) {
            sb.append('.');
            String f = String.format(Locale.ROOT, "%03d", frac);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append(f, 0, end);
        }
        sb.append(",\"observedUnit\":\"ms\",\"time\":");
        string(sb, r.time().truncatedTo(ChronoUnit.MILLIS).toString());
        String output = output(r, all);
        if (output != null) {
            sb.append(",\"output\":");
            string(sb, output);
        }
        if (all && !r.details().isEmpty()) {
            sb.append(",\"details\":{");
            boolean first = true;
            for (Map.Entry<String, Object> d : r.details().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, d.getKey());
                sb.append(':');
                value(sb, d.getValue());
            }
            sb.append('}');
        }
        sb.append("}]");
    }

    private static @Nullable String output(ProbeResult r, boolean all) {
        String error = r.error();
        String message = r.message();
        if (!all) {
            return error;
        }
        if (error != null && message != null) {
            return error + ": " + message;
        }
        return error != null ? error : message;
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof Boolean
                || v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(v);
            } else {
                sb.append("null");
            }
        } else {
            string(sb, String.valueOf(v));
        }
    }

    /** Appends a JSON string, escaped, with control characters removed and cut to {@link #MAX_TEXT} characters. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        int n = Math.min(s.length(), MAX_TEXT);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i == n - 1) {
                        // do not cut a surrogate pair in half
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (s.length() > MAX_TEXT) {
            sb.append('…');
        }
        sb.append('"');
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof HealthResponse r
                && r.statusCode == statusCode
                && r.contentType.equals(contentType)
                && Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * statusCode + contentType.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HealthResponse{" + statusCode + ", " + contentType + ", " + bodyText() + "}";
    }
}
