package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a policy counts by: the client address, the authenticated user, or a request header.
 *
 * <p>Instances are immutable and safe for concurrent use. The text forms are {@code ip}, {@code user} and
 * {@code header:<name>}:
 *
 * <ul>
 *   <li>{@code ip}: the client address as resolved behind trusted proxies, IPv6 grouped by the limiter's prefix
 *       (default {@code /64}), IPv4-mapped addresses unwrapped first. A client cannot change it by sending forwarded
 *       headers through an untrusted peer.
 *   <li>{@code user}: the authenticated principal's name; anonymous requests fall back to the client address, so an
 *       unauthenticated caller is still limited (as Django REST framework's scoped throttle does).
 *   <li>{@code header:<name>}: the value of a request header, for example an API key; a request without the header, or
 *       with a value longer than 256 characters, falls back to the client address. The header is client-controlled:
 *       use it only where a client gains nothing by inventing values (the key is checked elsewhere).
 * </ul>
 */
public final class RateLimitKey {

    /** Values longer than this are not used as keys (they would let a client grow memory per request). */
    static final int MAX_HEADER_KEY_LENGTH = 256;

    private static final RateLimitKey IP = new RateLimitKey(Kind.IP, null);
    private static final RateLimitKey USER = new RateLimitKey(Kind.USER, null);

    enum Kind {
        IP,
        USER,
        HEADER
    }

    private final Kind kind;
    private final @Nullable String header;

    private RateLimitKey(Kind kind, @Nullable String header) {
        this.kind = kind;
        this.header = header;
    }

    /** Returns the key by client address. */
    public static RateLimitKey ip() {
        return IP;
    }

    /** Returns the key by authenticated user, falling back to the client address for anonymous requests. */
    public static RateLimitKey user() {
        return USER;
    }

    /**
     * Returns the key by a request header's value, falling back to the client address when it is absent.
     *
     * @throws IllegalArgumentException if the name is not a legal header name
     */
    public static RateLimitKey header(String name) {
        requireNonNull(name, "name");
        Checks.requireArgument(
                Checks.isToken(name), "rate limit key header must be a header name such as X-Api-Key: '%s'", name);
        return new RateLimitKey(Kind.HEADER, name.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses {@code ip}, {@code user} or {@code header:<name>}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms otherwise
     */
    public static RateLimitKey parse(String text) {
        requireNonNull(text, "text");
        String value = text.strip();
        if (value.equalsIgnoreCase("ip")) {
            return IP;
        }
        if (value.equalsIgnoreCase("user")) {
            return USER;
        }
        if (value.regionMatches(true, 0, "header:", 0, 7) && value.length() > 7) {
            return header(value.substring(7).strip());
        }
        throw new IllegalArgumentException(
                "rate limit key must be ip, user or header:<name>: '" + Checks.escape(text) + "'");
    }

    Kind kind() {
        return kind;
    }

    /** Returns the header name in lower case for {@code header:<name>} keys, otherwise {@code null}. */
    @Nullable
    String headerName() {
        return header;
    }

    /** Returns whether this key needs the authenticated principal. */
    boolean needsPrincipal() {
        return kind == Kind.USER;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case IP -> "ip";
            case USER -> "user";
            case HEADER -> "header:" + header;
        };
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RateLimitKey other && kind == other.kind && java.util.Objects.equals(header, other.header);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + java.util.Objects.hashCode(header);
    }
}
