package dev.bulwark.core.ratelimit.redis;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.util.Locale;

/**
 * What a {@link RedisBucketStore} answers when Redis cannot: it is down, too slow (past the store's timeout), or the
 * circuit breaker has stopped calling it.
 *
 * <p>There is no safe default for every site, so the choice is explicit (express-rate-limit's
 * {@code passOnStoreError}, Envoy's {@code failure_mode_deny}); bucket4j's proxy managers just throw, which becomes
 * a {@code 500} per request while Redis is down.
 */
public enum FailureMode {

    /**
     * Allows the request as if its bucket were new (the default): the site stays up, unlimited, while Redis is away.
     * Each such decision is counted.
     */
    OPEN,

    /**
     * Refuses the request with {@code 503 Service Unavailable} and a {@code Retry-After} (through
     * {@link dev.bulwark.core.ratelimit.Consumption#unavailable(long)}): for endpoints where an unlimited burst is worse
     * than an outage, such as login.
     */
    CLOSED,

    /**
     * Falls back to an in-memory store with the same policies: limits still hold, per instance rather than shared (so
     * an application on {@code n} instances admits up to {@code n} times the limit while Redis is away).
     */
    LOCAL;

    /**
     * Parses {@code open}, {@code closed} or {@code local}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values otherwise
     */
    public static FailureMode parse(String text) {
        requireNonNull(text, "text");
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "open" -> OPEN;
            case "closed" -> CLOSED;
            case "local" -> LOCAL;
            default ->
                throw new IllegalArgumentException(
                        "redis failure mode must be open, closed or local: '" + Checks.escape(text) + "'");
        };
    }

    /** Returns the lower-case name, as written in configuration. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
