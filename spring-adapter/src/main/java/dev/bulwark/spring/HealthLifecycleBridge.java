package dev.bulwark.spring;

import dev.bulwark.core.health.GracefulShutdown;
import dev.bulwark.core.health.HealthLifecycle;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Ties Bulwark's {@link HealthLifecycle} to the Spring context: marks the application started on {@link
 * ApplicationReadyEvent} (readiness and startup answer 503 until then), and on shutdown runs {@link
 * GracefulShutdown#shutdown()} (readiness 503 at once, the drain delay, then in-flight requests) before the web server
 * stops.
 *
 * <p>Its phase is {@link SmartLifecycle#DEFAULT_PHASE}, the highest: it stops first, before Spring Boot's {@code
 * WebServerGracefulShutdownLifecycle} ({@code DEFAULT_PHASE - 1024}, Boot 3.5 and 4.0) stops accepting requests and
 * before {@code WebServerStartStopLifecycle} ({@code DEFAULT_PHASE - 2048}) stops the server. {@code stop()} blocks
 * for the drain delay plus at most the graceful timeout. A context closed before it was ready skips the drain. Safe
 * for concurrent use.
 */
final class HealthLifecycleBridge implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

    private final HealthLifecycle lifecycle;
    private final GracefulShutdown shutdown;
    private volatile boolean running;

    HealthLifecycleBridge(HealthLifecycle lifecycle, GracefulShutdown shutdown) {
        this.lifecycle = lifecycle;
        this.shutdown = shutdown;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        lifecycle.markStarted();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        try {
            if (lifecycle.state() == HealthLifecycle.State.STARTED) {
                shutdown.shutdown();
            } else {
                lifecycle.markStopped();
            }
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    GracefulShutdown shutdown() {
        return shutdown;
    }

    @Override
    public String toString() {
        return "HealthLifecycleBridge{" + lifecycle + ", " + shutdown + "}";
    }
}
