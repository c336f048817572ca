package dev.bulwark.core.accesslog;

import dev.bulwark.core.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one completed request, as an {@link AccessLogFormat} renders it.
 *
 * <p>Adapters implement it over their own request and response, so that formatting copies nothing it does not print.
 * Values are raw (not escaped): the format escapes what it writes. Implementations are used by one thread at a time
 * and need not be thread-safe; methods must be cheap and must not throw.
 */
public interface AccessLogEntry {

    /**
     * Returns the client's address, resolved behind trusted proxies ({@link
     * dev.bulwark.core.client.ResolvedClient#address()}); the peer's address when no proxy is trusted.
     */
    String clientAddress();

    /** Returns the address of the peer that opened the connection (a proxy, when there is one). */
    String peerAddress();

    /**
     * Returns the raw forwarded chain ({@code X-Forwarded-For}, or {@code Forwarded} when that header is used) as
     * received, or {@code null} when absent. Its left-hand entries are written by the client: never trust them.
     */
    @Nullable
    String forwardedChain();

    /** Returns the authenticated user's name, or {@code null} for an anonymous request. */
    @Nullable
    String user();

    /** Returns the wall-clock time the request started, in milliseconds since the epoch. */
    long startMillis();

    /** Returns the request method as sent. */
    String method();

    /** Returns the request target's path exactly as received (not decoded, without the query string). */
    String requestUri();

    /** Returns the raw query string without {@code ?}, or {@code null} when there is none. */
    @Nullable
    String query();

    /** Returns the protocol, such as {@code HTTP/1.1}. */
    String protocol();

    /** Returns the response status. */
    int status();

    /** Returns the number of body bytes sent to the client. */
    long bytesSent();

    /** Returns how long the request took, in nanoseconds. */
    long durationNanos();

    /** Returns the first value of a request header (case-insensitive name), or {@code null}. */
    @Nullable
    String requestHeader(String name);

    /** Returns the first value of a response header (case-insensitive name), or {@code null}. */
    @Nullable
    String responseHeader(String name);

    /** Returns the Bulwark capability that answered the request itself, or {@code null} when the application did. */
    default @Nullable Rejection rejection() {
        return null;
    }
}
