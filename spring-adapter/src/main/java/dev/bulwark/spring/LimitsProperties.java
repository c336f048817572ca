package dev.bulwark.spring;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request limits and overload protection ({@code bulwark.limits.*}): body size, form fields, multipart parts, URL and
 * header ceilings, a concurrency limit, and slow-request warnings.
 *
 * @param enabled Whether Bulwark enforces request limits, the concurrency limit and slow-request warnings
 * @param maxBodySize Largest request body (10MB is 10 MiB); a larger Content-Length is answered 413 before the body
 *     is read, a chunked body is cut off with 413 once it passes the limit
 * @param bodySizeOverrides Body size limits by path pattern, first match wins, such as /api/uploads/** with 100MB
 * @param maxFormFields Most form fields in the query string and a URL-encoded body together; more are answered 400
 * @param maxMultipartParts Most parts of a multipart body; more are answered 400
 * @param maxUrlLength Longest request target (path and query) in characters; longer is answered 414
 * @param maxHeaderCount Most header field lines; more are answered 431
 * @param maxHeaderSize Largest total size of the header fields (name, value and separators of every line); larger is
 *     answered 431
 * @param concurrency Concurrency limit: requests in flight, wait queue, wait timeout
 * @param slowRequest Warnings for requests slower than a threshold
 */
@ConfigurationProperties("bulwark.limits")
public record LimitsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10MB") DataSize maxBodySize,
        @DefaultValue List<BodySizeOverride> bodySizeOverrides,
        @DefaultValue("1000") int maxFormFields,
        @DefaultValue("50") int maxMultipartParts,
        @DefaultValue("8192") int maxUrlLength,
        @DefaultValue("100") int maxHeaderCount,
        @DefaultValue("16KB") DataSize maxHeaderSize,
        @DefaultValue Concurrency concurrency,
        @DefaultValue SlowRequest slowRequest) {

    /**
     * A body size limit for some paths ({@code bulwark.limits.body-size-overrides[i].*}).
     *
     * @param path Path pattern, such as /api/uploads/**
     * @param maxSize Largest request body on matching paths
     */
    public record BodySizeOverride(
            @Nullable String path, @Nullable DataSize maxSize) {}

    /**
     * The concurrency limit ({@code bulwark.limits.concurrency.*}). Off until max-concurrent is set; the startup log
     * suggests a value from the seed's sizing rule (2 x CPU + 1 workers x 2 x CPU threads).
     *
     * @param enabled Whether the concurrency limit applies once max-concurrent is set
     * @param maxConcurrent Most requests in flight at once; unset for no limit
     * @param maxQueue Most requests waiting for a slot; beyond it requests are answered 503 at once
     * @param queueTimeout Longest a request waits for a slot before it is answered 503
     * @param retryAfter Retry-After of a 503 answer (whole seconds, rounded up)
     * @param exemptPaths Path patterns never limited, in addition to /health/** and /actuator/health/**
     */
    public record Concurrency(
            @DefaultValue("true") boolean enabled,
            @Nullable Integer maxConcurrent,
            @DefaultValue("100") int maxQueue,
            @DefaultValue("1s") Duration queueTimeout,
            @DefaultValue("1s") Duration retryAfter,
            @DefaultValue List<String> exemptPaths) {}

    /**
     * Slow-request warnings ({@code bulwark.limits.slow-request.*}) on the logger bulwark.slow-requests, with method,
     * path (never the query string), status and duration.
     *
     * @param enabled Whether to log requests slower than the threshold
     * @param threshold Duration above which a completed request is logged (the seed's worker timeout)
     */
    public record SlowRequest(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("120s") Duration threshold) {}
}
