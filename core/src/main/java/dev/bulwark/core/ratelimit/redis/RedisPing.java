package dev.bulwark.core.ratelimit.redis;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The answer to {@link RedisBucketStore#ping(Duration)}: whether Redis answered {@code PING} in time, how long it took,
 * and what went wrong otherwise.
 *
 * <p>Instances are immutable and safe for concurrent use.
 *
 * @param up whether Redis answered {@code PONG} within the timeout
 * @param latency the time waited: the round trip when up, up to the timeout when not
 * @param detail {@code PONG}, or why the ping failed (for example {@code timed out after 100 ms} or
 *     {@code not connected})
 */
public record RedisPing(boolean up, Duration latency, String detail) {

    /** Creates a ping result. */
    public RedisPing {
        requireNonNull(latency, "latency");
        requireNonNull(detail, "detail");
    }
}
