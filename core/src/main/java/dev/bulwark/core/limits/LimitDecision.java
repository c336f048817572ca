package dev.bulwark.core.limits;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.Rejection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of a {@link RequestLimits} check: {@link #ALLOWED}, or the limit a request broke, with the status and
 * the RFC 9457 {@code application/problem+json} body to answer it with.
 *
 * <p>Immutable and safe for concurrent use. {@link RequestLimits} builds every rejection it can return when it is
 * built, so that a check allocates nothing, whatever its outcome.
 */
public final class LimitDecision {

    /** The media type of {@link #writeBody(OutputStream) the body}: RFC 9457 problem details. */
    public static final String CONTENT_TYPE = "application/problem+json";

    /** The request is within every limit checked. */
    public static final LimitDecision ALLOWED = new LimitDecision();

    /** Which limit a request broke, with its status (RFC 9110 section 15.5, RFC 6585 section 5). */
    public enum Reason {
        /** The body is larger than the body size limit of its path: {@code 413 Content Too Large}. */
        BODY_TOO_LARGE(413, "Content Too Large"),
        /** The query string and URL-encoded body have more fields than allowed: {@code 400 Bad Request}. */
        TOO_MANY_FORM_FIELDS(400, "Bad Request"),
        /** A multipart body has more parts than allowed: {@code 400 Bad Request}. */
        TOO_MANY_MULTIPART_PARTS(400, "Bad Request"),
        /** The request target (path and query) is longer than allowed: {@code 414 URI Too Long}. */
        URL_TOO_LONG(414, "URI Too Long"),
        /** The request has more header field lines than allowed: {@code 431 Request Header Fields Too Large}. */
        TOO_MANY_HEADERS(431, "Request Header Fields Too Large"),
        /** The header fields are larger in total than allowed: {@code 431 Request Header Fields Too Large}. */
        HEADERS_TOO_LARGE(431, "Request Header Fields Too Large");

        private final int status;
        private final String title;
        private final String token;

        Reason(int status, String title) {
            this.status = status;
            this.title = title;
            this.token = name().toLowerCase(Locale.ROOT);
        }

        /** Returns the status that answers this reason. */
        public int status() {
            return status;
        }

        /** Returns the reason phrase of {@link #status()}, the problem document's {@code title}. */
        public String title() {
            return title;
        }

        /** Returns the lower-case token, such as {@code body_too_large}, used in metrics, logs and problem bodies. */
        public String token() {
            return token;
        }
    }

    private final @Nullable Reason reason;
    private final long limit;
    private final String detail;
    private final @Nullable Rejection rejection;
    private final byte[] body;

    private LimitDecision() {
        this.reason = null;
        this.limit = 0;
        this.detail = "";
        this.rejection = null;
        this.body = new byte[0];
    }

    private LimitDecision(Reason reason, long limit, String detail) {
        this.reason = reason;
        this.limit = limit;
        this.detail = detail;
        this.rejection = Rejection.of(Rejection.LIMITS, reason.token());
        this.body = ("{\"type\":\"about:blank\",\"title\":\"" + reason.title() + "\",\"status\":" + reason.status()
                        + ",\"detail\":\"" + detail + "\",\"reason\":\"" + reason.token() + "\",\"limit\":" + limit
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns a rejection for a reason and the limit that was exceeded.
     *
     * @param limit the configured limit, in the unit of the reason (bytes, fields, parts, characters or lines)
     */
    public static LimitDecision rejected(Reason reason, long limit) {
        requireNonNull(reason, "reason");
        String detail =
                switch (reason) {
                    case BODY_TOO_LARGE -> "request body is larger than the limit of " + limit + " bytes";
                    case TOO_MANY_FORM_FIELDS -> "request has more than " + limit + " form fields";
                    case TOO_MANY_MULTIPART_PARTS -> "multipart request has more than " + limit + " parts";
                    case URL_TOO_LONG -> "request URL is longer than " + limit + " characters";
                    case TOO_MANY_HEADERS -> "request has more than " + limit + " header fields";
                    case HEADERS_TOO_LARGE -> "request header fields are larger than " + limit + " bytes in total";
                };
        return new LimitDecision(reason, limit, detail);
    }

    /** Returns whether the request broke a limit and must be answered with {@link #status()}. */
    public boolean rejected() {
        return reason != null;
    }

    /** Returns the limit broken, or {@code null} for {@link #ALLOWED}. */
    public @Nullable Reason reason() {
        return reason;
    }

    /** Returns the status to answer with: 400, 413, 414 or 431; 0 for {@link #ALLOWED}. */
    public int status() {
        return reason == null ? 0 : reason.status();
    }

    /** Returns the configured limit that was exceeded; 0 for {@link #ALLOWED}. */
    public long limit() {
        return limit;
    }

    /** Returns the human-readable explanation, such as {@code request has more than 1000 form fields}. */
    public String detail() {
        return detail;
    }

    /** Returns the rejection to report to metrics, or {@code null} for {@link #ALLOWED}. */
    public @Nullable Rejection rejection() {
        return rejection;
    }

    /** Returns the length in bytes of the problem document. */
    public int bodyLength() {
        return body.length;
    }

    /**
     * Writes the problem document, such as {@code {"type":"about:blank","title":"Content Too
     * Large","status":413,"detail":"request body is larger than the limit of 10485760
     * bytes","reason":"body_too_large","limit":10485760}}.
     */
    public void writeBody(OutputStream out) throws IOException {
        out.write(body);
    }

    /** Returns the problem document as a string. */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return reason == null ? "LimitDecision[ALLOWED]" : "LimitDecision[" + reason + ", limit " + limit + "]";
    }
}
