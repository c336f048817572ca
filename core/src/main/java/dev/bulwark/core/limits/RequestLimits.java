package dev.bulwark.core.limits;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Ceilings on what one request may carry: body size (with per-path overrides), form fields, multipart parts, URL
 * length, and the number and total size of header fields.
 *
 * <p>Defaults ({@link #defaults()}), after Django's {@code DATA_UPLOAD_MAX_MEMORY_SIZE} as production guides set it
 * and its {@code DATA_UPLOAD_MAX_NUMBER_FIELDS}, and Tomcat 11's part and parameter counts:
 *
 * <ul>
 *   <li>body: {@value #DEFAULT_MAX_BODY_SIZE} bytes (10 MiB), answered {@code 413 Content Too Large};
 *   <li>form fields: {@value #DEFAULT_MAX_FORM_FIELDS} (query string and URL-encoded body together), answered {@code
 *       400};
 *   <li>multipart parts: {@value #DEFAULT_MAX_MULTIPART_PARTS}, answered {@code 400};
 *   <li>URL: {@value #DEFAULT_MAX_URL_LENGTH} characters of path and query, answered {@code 414 URI Too Long};
 *   <li>header fields: {@value #DEFAULT_MAX_HEADER_COUNT} lines and {@value #DEFAULT_MAX_HEADER_SIZE} bytes in
 *       total (each line counted as on the wire: name, {@code ": "}, value, CRLF), answered {@code 431}.
 * </ul>
 *
 * <p>Containers have limits of their own, which differ (Tomcat 10.1 silently drops form fields past 10 000; Jetty
 * reads 200 KB of form by default; Tomcat answers oversized headers with 400, Jetty with 431): these limits apply the
 * same way on every container, as long as they are below the container's. Body size overrides are {@link
 * PathPattern}s, first match wins, for upload endpoints that need more (or less) than the default.
 *
 * <p>The checks are pure functions of numbers the adapter measures; {@link #bodyCounter} counts a body while it
 * streams. Every possible rejection is built with the policy, so checks allocate nothing. Instances are immutable and
 * safe for concurrent use; builders are not thread-safe.
 */
public final class RequestLimits {

    /** The default body size limit: 10 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = 10L * 1024 * 1024;
    /** The default limit on form fields (query string and URL-encoded body together). */
    public static final int DEFAULT_MAX_FORM_FIELDS = 1000;
    /** The default limit on parts of a multipart body. */
    public static final int DEFAULT_MAX_MULTIPART_PARTS = 50;
    /** The default limit on the length of the request target (path and query), in characters. */
    public static final int DEFAULT_MAX_URL_LENGTH = 8192;
    /** The default limit on header field lines. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /**
     * The default limit on the total size of the header fields in bytes: 16 KiB, twice Tomcat's and Jetty's default
     * (which also include the request line), so raising the container's limit a little keeps working.
     */
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

    private static final PathPattern ANY = PathPattern.of("/**");

    private record BodyOverride(PathPattern pattern, long maxBytes, LimitDecision tooLarge) {}

    private final Builder settings;
    private final long maxBodySize;
    private final BodyOverride defaultBody;
    private final List<BodyOverride> overrides;
    private final int maxFormFields;
    private final LimitDecision tooManyFields;
    private final int maxMultipartParts;
    private final LimitDecision tooManyParts;
    private final int maxUrlLength;
    private final LimitDecision urlTooLong;
    private final int maxHeaderCount;
    private final LimitDecision tooManyHeaders;
    private final int maxHeaderSize;
    private final LimitDecision headersTooLarge;

    private RequestLimits(Builder b) {
        this.settings = b.copy();
        this.maxBodySize = b.maxBodySize;
        this.defaultBody = new BodyOverride(
                ANY, maxBodySize, LimitDecision.rejected(LimitDecision.Reason.BODY_TOO_LARGE, maxBodySize));
        List<BodyOverride> list = new ArrayList<>();
        b.overrides.forEach((pattern, size) -> list.add(new BodyOverride(
                PathPattern.of(pattern), size, LimitDecision.rejected(LimitDecision.Reason.BODY_TOO_LARGE, size))));
        this.overrides = List.copyOf(list);
        this.maxFormFields = b.maxFormFields;
        this.tooManyFields = LimitDecision.rejected(LimitDecision.Reason.TOO_MANY_FORM_FIELDS, maxFormFields);
        this.maxMultipartParts = b.maxMultipartParts;
        this.tooManyParts = LimitDecision.rejected(LimitDecision.Reason.TOO_MANY_MULTIPART_PARTS, maxMultipartParts);
        this.maxUrlLength = b.maxUrlLength;
        this.urlTooLong = LimitDecision.rejected(LimitDecision.Reason.URL_TOO_LONG, maxUrlLength);
        this.maxHeaderCount = b.maxHeaderCount;
        this.tooManyHeaders = LimitDecision.rejected(LimitDecision.Reason.TOO_MANY_HEADERS, maxHeaderCount);
        this.maxHeaderSize = b.maxHeaderSize;
        this.headersTooLarge = LimitDecision.rejected(LimitDecision.Reason.HEADERS_TOO_LARGE, maxHeaderSize);
    }

    /** Returns the default limits described in the class documentation. */
    public static RequestLimits defaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this policy's settings. */
    public Builder toBuilder() {
        return settings.copy();
    }

    // ---------------------------------------------------------------------------------------------------- checks

    /**
     * Returns the body size limit for a path: the first matching override, else the default.
     *
     * @param path the path within the application (see {@link dev.bulwark.core.RequestView#path()})
     */
    public long maxBodySize(String path) {
        return bodyOverride(path).maxBytes;
    }

    private BodyOverride bodyOverride(String path) {
        for (int i = 0, n = overrides.size(); i < n; i++) {
            BodyOverride o = overrides.get(i);
            if (o.pattern().matches(path)) {
                return o;
            }
        }
        return defaultBody;
    }

    /**
     * Checks the length of the request target.
     *
     * @param length the length of the raw path plus, when there is a query, 1 and the query's length
     */
    public LimitDecision checkUrl(long length) {
        return length > maxUrlLength ? urlTooLong : LimitDecision.ALLOWED;
    }

    /**
     * Checks the header section.
     *
     * @param count the number of header field lines
     * @param size their total size in bytes as on the wire: name, {@code ": "}, value and CRLF for each line
     */
    public LimitDecision checkHeaders(int count, long size) {
        if (count > maxHeaderCount) {
            return tooManyHeaders;
        }
        return size > maxHeaderSize ? headersTooLarge : LimitDecision.ALLOWED;
    }

    /**
     * Checks a declared {@code Content-Length} before any of the body is read.
     *
     * @param path the path within the application, for overrides
     * @param contentLength the declared length, or a negative value when the length is unknown (always allowed)
     */
    public LimitDecision checkContentLength(String path, long contentLength) {
        if (contentLength < 0) {
            return LimitDecision.ALLOWED;
        }
        BodyOverride o = bodyOverride(path);
        return contentLength > o.maxBytes() ? o.tooLarge() : LimitDecision.ALLOWED;
    }

    /**
     * Checks the fields of a query string, counted as {@link #countFields(CharSequence)} does.
     *
     * @param query the raw query string without {@code ?}, or {@code null}
     */
    public LimitDecision checkQuery(@Nullable String query) {
        if (query == null || query.length() < maxFormFields) {
            return LimitDecision.ALLOWED; // fewer characters than allowed fields: cannot be over
        }
        return countFields(query) > maxFormFields ? tooManyFields : LimitDecision.ALLOWED;
    }

    /** Checks the number of parts of a multipart body. */
    public LimitDecision checkParts(int parts) {
        return parts > maxMultipartParts ? tooManyParts : LimitDecision.ALLOWED;
    }

    /**
     * Checks the total size of a body that was read by someone else (a container parsing multipart), for a path.
     *
     * @param size the number of bytes read
     */
    public LimitDecision checkBodySize(String path, long size) {
        return checkContentLength(path, size);
    }

    /**
     * Returns a counter for one request body, to feed every chunk of the body through while the application reads it.
     *
     * @param path the path within the application, for overrides
     * @param countFormFields whether the body is {@code application/x-www-form-urlencoded}, whose fields are counted
     * @param fieldsSoFar fields already counted for this request (in its query string)
     */
    public BodyCounter bodyCounter(String path, boolean countFormFields, int fieldsSoFar) {
        BodyOverride o = bodyOverride(path);
        return new BodyCounter(o.maxBytes(), o.tooLarge(), countFormFields, maxFormFields, tooManyFields, fieldsSoFar);
    }

    /**
     * Counts the fields of an {@code application/x-www-form-urlencoded} string: the non-empty sequences between
     * {@code &} (WHATWG URL standard, section 5.1), whether or not they contain {@code =}.
     */
    public static int countFields(CharSequence encoded) {
        int fields = 0;
        boolean inField = false;
        for (int i = 0, n = encoded.length(); i < n; i++) {
            if (encoded.charAt(i) == '&') {
                inField = false;
            } else if (!inField) {
                inField = true;
                fields++;
            }
        }
        return fields;
    }

    // ---------------------------------------------------------------------------------------------------- accessors

    /** Returns the default body size limit in bytes. Default 10 MiB. */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** Returns the body size overrides by path pattern, in the order they are tried. */
    public Map<String, Long> bodySizeOverrides() {
        Map<String, Long> result = new LinkedHashMap<>();
        overrides.forEach(o -> result.put(o.pattern().toString(), o.maxBytes()));
        return java.util.Collections.unmodifiableMap(result);
    }

    /** Returns the limit on form fields. Default {@value #DEFAULT_MAX_FORM_FIELDS}. */
    public int maxFormFields() {
        return maxFormFields;
    }

    /** Returns the limit on multipart parts. Default {@value #DEFAULT_MAX_MULTIPART_PARTS}. */
    public int maxMultipartParts() {
        return maxMultipartParts;
    }

    /** Returns the limit on the request target's length. Default {@value #DEFAULT_MAX_URL_LENGTH}. */
    public int maxUrlLength() {
        return maxUrlLength;
    }

    /** Returns the limit on header field lines. Default {@value #DEFAULT_MAX_HEADER_COUNT}. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** Returns the limit on the header section's size in bytes. Default {@value #DEFAULT_MAX_HEADER_SIZE}. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    @Override
    public String toString() {
        return "RequestLimits[body=" + maxBodySize + (overrides.isEmpty() ? "" : " " + bodySizeOverrides())
                + ", formFields=" + maxFormFields + ", parts=" + maxMultipartParts + ", url=" + maxUrlLength
                + ", headers=" + maxHeaderCount + "/" + maxHeaderSize + "]";
    }

    /** Builds {@link RequestLimits}. Not thread-safe; {@link #build()} leaves the builder reusable. */
    public static final class Builder {
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private final Map<String, Long> overrides = new LinkedHashMap<>();
        private int maxFormFields = DEFAULT_MAX_FORM_FIELDS;
        private int maxMultipartParts = DEFAULT_MAX_MULTIPART_PARTS;
        private int maxUrlLength = DEFAULT_MAX_URL_LENGTH;
        private int maxHeaderCount = DEFAULT_MAX_HEADER_COUNT;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.maxBodySize = maxBodySize;
            b.overrides.putAll(overrides);
            b.maxFormFields = maxFormFields;
            b.maxMultipartParts = maxMultipartParts;
            b.maxUrlLength = maxUrlLength;
            b.maxHeaderCount = maxHeaderCount;
            b.maxHeaderSize = maxHeaderSize;
            return b;
        }

        /**
         * Sets the body size limit in bytes for paths without an override. Default 10 MiB.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxBodySize(long bytes) {
            requireArgument(bytes >= 0, "max body size must not be negative: %s", bytes);
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * Sets the body size limit for paths matching a pattern ({@link PathPattern} syntax, such as {@code
         * /api/uploads/**}); overrides are tried in the order added, the first match wins.
         *
         * @throws IllegalArgumentException if the size is negative, the pattern is invalid, or it was already added
         */
        public Builder maxBodySize(String pathPattern, long bytes) {
            requireNonNull(pathPattern, "pathPattern");
            requireArgument(bytes >= 0, "max body size for '%s' must not be negative: %s", pathPattern, bytes);
            PathPattern.of(pathPattern); // validates
            requireArgument(
                    !overrides.containsKey(pathPattern),
                    "a body size override for '%s' was already added",
                    pathPattern);
            overrides.put(pathPattern, bytes);
            return this;
        }

        /** Removes every body size override. */
        public Builder clearBodySizeOverrides() {
            overrides.clear();
            return this;
        }

        /**
         * Sets the limit on form fields: query string and URL-encoded body together. Default 1000.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxFormFields(int fields) {
            requireArgument(fields >= 0, "max form fields must not be negative: %s", fields);
            this.maxFormFields = fields;
            return this;
        }

        /**
         * Sets the limit on parts of a multipart body. Default 50.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxMultipartParts(int parts) {
            requireArgument(parts >= 0, "max multipart parts must not be negative: %s", parts);
            this.maxMultipartParts = parts;
            return this;
        }

        /**
         * Sets the limit on the request target's length (raw path, {@code ?} and query), in characters. Default 8192.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxUrlLength(int characters) {
            requireArgument(characters >= 1, "max url length must be at least 1: %s", characters);
            this.maxUrlLength = characters;
            return this;
        }

        /**
         * Sets the limit on header field lines. Default 100.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxHeaderCount(int lines) {
            requireArgument(lines >= 1, "max header count must be at least 1: %s", lines);
            this.maxHeaderCount = lines;
            return this;
        }

        /**
         * Sets the limit on the header section's total size in bytes (each line as on the wire: name, {@code ": "},
         * value, CRLF). Default 16 KiB.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxHeaderSize(int bytes) {
            requireArgument(bytes >= 1, "max header size must be at least 1: %s", bytes);
            this.maxHeaderSize = bytes;
            return this;
        }

        /** Builds the limits. */
        public RequestLimits build() {
            return new RequestLimits(this);
        }
    }
}
