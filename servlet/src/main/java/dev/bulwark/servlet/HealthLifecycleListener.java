package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.health.GracefulShutdown;
import dev.bulwark.core.health.HealthLifecycle;
import dev.bulwark.core.health.HealthRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Drives a {@link HealthRegistry}'s lifecycle from the servlet context, for applications without a framework that does
 * it: marks the application started when the context has initialized, and on context destruction drains in-flight
 * requests ({@link GracefulShutdown#shutdown()}, unless that already happened) and closes the registry.
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.builder().probe(db).build();
 * GracefulShutdown shutdown = GracefulShutdown.builder(health.lifecycle()).build();
 * context.addEventListener(new HealthLifecycleListener(health, shutdown));  // after the listener calling install
 * }</pre>
 *
 * <p>Register it after the listener that installs Bulwark and sets the application up, so that {@code
 * contextInitialized} marks the application started last (listeners are initialized in registration order). A
 * container calls {@code contextDestroyed} only after it stopped accepting connections, so at that point a drain delay
 * would only slow the shutdown down: for readiness to flip to {@code 503} while the load balancer can still see it,
 * call {@code shutdown.shutdown()} <em>before</em> the server stops, for embedded Jetty in a {@code
 * LifeCycle.Listener.lifeCycleStopping} callback, for embedded Tomcat before {@code tomcat.stop()}, as the servlet
 * example does; this listener then only closes the registry. In a WAR container, leave the drain delay at 0 and let
 * the orchestrator's pre-stop hook provide it.
 *
 * <p>Instances are safe for concurrent use; the container calls them on its own thread.
 */
public final class HealthLifecycleListener implements ServletContextListener {

    private final HealthRegistry registry;
    private final GracefulShutdown shutdown;

    /** Creates a listener draining with the defaults of {@link GracefulShutdown} (no delay, 30 s graceful timeout). */
    public HealthLifecycleListener(HealthRegistry registry) {
        this(registry, GracefulShutdown.builder(registry.lifecycle()).build());
    }

    /**
     * Creates a listener.
     *
     * @param registry the registry; its lifecycle is marked started, and it is closed on destruction
     * @param shutdown the shutdown to run on destruction; build it for {@code registry.lifecycle()}
     */
    public HealthLifecycleListener(HealthRegistry registry, GracefulShutdown shutdown) {
        this.registry = requireNonNull(registry, "registry");
        this.shutdown = requireNonNull(shutdown, "shutdown");
    }

    /** Marks the application started: readiness and startup may answer {@code 200} from now on. */
    @Override
    public void contextInitialized(ServletContextEvent event) {
        registry.lifecycle().markStarted();
    }

    /** Drains in-flight requests unless a shutdown already ran, then closes the registry. */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            HealthLifecycle.State state = registry.lifecycle().state();
            if (state == HealthLifecycle.State.STARTING || state == HealthLifecycle.State.STARTED) {
                shutdown.shutdown();
            }
        } finally {
            registry.close();
        }
    }

    @Override
    public String toString() {
        return "HealthLifecycleListener{" + registry + ", " + shutdown + "}";
    }
}
