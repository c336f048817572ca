package dev.bulwark.core;

import org.jspecify.annotations.Nullable;

/**
 * Receives every request an adapter observes, for metrics: when it starts, when it completes, and which Bulwark
 * capability refused it, if any.
 *
 * <p>Implementations must be thread-safe. Methods are called on request threads (or, for asynchronous requests, on
 * the container thread that completes them) and must be fast and non-blocking; an exception is logged once by the
 * adapter and otherwise ignored. Every argument is bounded (a known method or {@code OTHER}, a route pattern, never a
 * raw path), so implementations may use them as metric tags.
 *
 * <p>{@code dev.bulwark.core.metrics.RequestMetrics} implements it with Micrometer.
 */
public interface RequestListener {

    /** Called when a request enters the adapter, before any Bulwark capability decides on it. */
    default void onStarted() {}

    /**
     * Called once when a request has completed (for an asynchronous request, when its async context completes).
     *
     * @param method the request method if it is a standard one ({@code GET}, {@code POST}, …), otherwise {@code OTHER}
     * @param status the response status
     * @param route the route pattern that handled the request, such as {@code /api/items/{id}}, or {@code UNKNOWN}
     * @param durationNanos the time from {@link #onStarted()} to completion
     * @param rejection the capability that answered the request itself, or {@code null} when the application did
     */
    default void onCompleted(
            String method, int status, String route, long durationNanos, @Nullable Rejection rejection) {}

    /** Returns a listener that does nothing. */
    static RequestListener noop() {
        return NoopRequestListener.INSTANCE;
    }
}
