package dev.bulwark.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;

/**
 * Runs an action once when a request completes: right away for a synchronous request, when its async context
 * completes (or fails or times out, which end in completion) for an asynchronous one. Used by the filters that must
 * see the end of a request: access log, metrics, overload protection.
 */
final class Completion implements AsyncListener {

    private final Runnable action;
    private boolean done;

    private Completion(Runnable action) {
        this.action = action;
    }

    /** Runs {@code action} now, or when the request's async processing completes. */
    static void onComplete(ServletRequest request, Runnable action) {
        if (request.isAsyncStarted()) {
            try {
                request.getAsyncContext().addListener(new Completion(action));
                return;
            } catch (IllegalStateException e) {
                // completed concurrently: run now
            }
        }
        action.run();
    }

    private synchronized boolean first() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (first()) {
            action.run();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // completion follows
    }

    @Override
    public void onError(AsyncEvent event) {
        // completion follows
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a new async cycle of the same request: keep listening
        event.getAsyncContext().addListener(this);
    }
}
