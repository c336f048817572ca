package dev.bulwark.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A framework-neutral, read-only view of an incoming HTTP request.
 *
 * <p>Adapters (the servlet module, a test fake) implement this over their own request type; core policies read only
 * this view, so they never depend on a web framework. Values are the request as the server received it, before any
 * proxy headers are interpreted: {@link dev.bulwark.core.client.ClientAddressResolver} turns them into the effective
 * client.
 *
 * <p>Implementations are used by one request thread at a time and need not be thread-safe. Methods must be cheap
 * (no I/O) and must not throw.
 */
public interface RequestView {

    /** Returns the request method exactly as sent, for example {@code GET}. */
    String method();

    /** Returns the scheme of the connection to this server, {@code http} or {@code https}, in lower case. */
    String scheme();

    /** Returns the host the request was addressed to (the {@code Host} header without its port). */
    String host();

    /** Returns the port the request was addressed to. */
    int port();

    /**
     * Returns the path within the application, as the container routes it: decoded and normalized, without the
     * context path or the query string, starting with {@code /}. {@link PathPattern}s match against this value.
     */
    String path();

    /**
     * Returns the request target path exactly as received (not decoded, including any context path, without the query
     * string). Used to build redirect locations and log lines.
     */
    String requestUri();

    /** Returns the raw query string without {@code ?}, or {@code null} when the request has none. */
    @Nullable
    String query();

    /** Returns the first value of the named header (case-insensitive), or {@code null} when absent. */
    @Nullable
    String header(String name);

    /** Returns every value of the named header (case-insensitive) in received order; empty when absent. */
    List<String> headers(String name);

    /** Returns the IP address literal of the peer that opened the connection (the last hop, not the client). */
    String peerAddress();

    /** Returns the authenticated principal's name, or {@code null} for an anonymous request. */
    @Nullable
    String principalName();

    /** Returns whether the connection to this server is secure ({@code https}). */
    default boolean secure() {
        return "https".equals(scheme());
    }
}
