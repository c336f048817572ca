package dev.bulwark.spring;

import dev.bulwark.core.limits.ConcurrencyLimiter;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Logs, once the application has started, the web server's request threads, the CPU count and the concurrency limit
 * (or the seed's sizing rule as a suggestion), through {@link ConcurrencyLimiter#sizingReport}.
 *
 * <p>The thread count comes from the embedded web server, found by method name so that the same code runs on Spring
 * Boot 3.5 and 4.0 (whose web server classes moved packages): Tomcat's {@code getTomcat().getConnector()
 * .getProtocolHandler().getMaxThreads()}, Jetty's {@code getServer().getThreadPool().getMaxThreads()}; anything else
 * (Undertow, a WAR deployment) is reported as unknown. Thread-safe.
 */
final class OverloadStartupLog implements ApplicationListener<ApplicationStartedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(OverloadStartupLog.class);

    private final ObjectProvider<ConcurrencyLimiter> limiter;

    OverloadStartupLog(ObjectProvider<ConcurrencyLimiter> limiter) {
        this.limiter = limiter;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        Object webServer = call(event.getApplicationContext(), "getWebServer");
        String container = "web server";
        int threads = -1;
        if (webServer != null) {
            String name = webServer.getClass().getSimpleName();
            container = name.endsWith("WebServer") ? name.substring(0, name.length() - "WebServer".length()) : name;
            threads = threads(webServer);
        }
        LOG.info(ConcurrencyLimiter.sizingReport(
                limiter.getIfUnique(), threads, container, Runtime.getRuntime().availableProcessors()));
    }

    /** Returns the web server's maximum request threads, or -1. */
    static int threads(Object webServer) {
        Object tomcatThreads =
                call(call(call(call(webServer, "getTomcat"), "getConnector"), "getProtocolHandler"), "getMaxThreads");
        if (tomcatThreads instanceof Number n && n.intValue() > 0) {
            return n.intValue();
        }
        Object jettyThreads = call(call(call(webServer, "getServer"), "getThreadPool"), "getMaxThreads");
        if (jettyThreads instanceof Number n && n.intValue() > 0) {
            return n.intValue();
        }
        return -1;
    }

    private static @Nullable Object call(@Nullable Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
