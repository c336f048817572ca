package dev.bulwark.examples.servlet;

import dev.bulwark.core.accesslog.AccessLog;
import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.core.health.GracefulShutdown;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthProbes;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.core.metrics.RequestMetrics;
import dev.bulwark.servlet.Bulwark;
import dev.bulwark.servlet.BulwarkConfig;
import dev.bulwark.servlet.HealthLifecycleListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The same {@code /api/hello} as the Spring Boot example, on embedded Jetty 12 with no Spring: one {@link
 * Bulwark#install} call registers every filter in order.
 *
 * <p>Besides the headers, cookies and CORS: the seed's request limits (10 MiB bodies, 1000 form fields), a concurrency
 * limit sized by the seed's rule ({@code 2 × CPU + 1} workers × {@code 2 × CPU} threads), the seed's Gunicorn access
 * log on the SLF4J logger {@code bulwark.access}, and request metrics in a Prometheus registry whose scrape text is
 * served at {@code /metrics}.
 *
 * <p>Run: {@code java -jar examples/servlet-app/target/bulwark-example-servlet-app.jar [port]} (default 8080;
 * trusted proxies from the {@code BULWARK_CLIENT_TRUSTED_PROXIES} environment variable, comma-separated).
 *
 * <p>Health: {@code /health/live} (a deadlock check), {@code /health/ready} and {@code /health/started} (a disk space
 * check of the temporary directory; 503 until the context has started). On {@code SIGTERM} Jetty's shutdown hook stops
 * the server; before its connectors close, readiness flips to 503, the app keeps serving for the drain delay (5 s, or
 * {@code BULWARK_HEALTH_DRAIN_DELAY_SECONDS}) so load balancers notice, then in-flight requests get up to 30 s.
 */
public final class ServletApp {

    private ServletApp() {}

    /** Returns the Bulwark configuration of this example, publishing metrics to {@code registry}. */
    static BulwarkConfig config(List<String> trustedProxies, HealthRegistry health, PrometheusMeterRegistry registry) {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(ConcurrencyLimiter.suggestedMaxConcurrent(
                        Runtime.getRuntime().availableProcessors()))
                .maxQueue(100)
                .queueTimeout(Duration.ofSeconds(1))
                .exemptPaths(List.of("/metrics"))
                .build();
        RequestMetrics metrics = new RequestMetrics(registry);
        metrics.monitor(limiter);
        return BulwarkConfig.builder()
                .health(health)
                .clientAddressResolver(ClientAddressResolver.builder()
                        .trustedProxies(trustedProxies)
                        .build())
                .securityHeaders(SecurityHeadersPolicy.builder()
                        .contentSecurityPolicy(ContentSecurityPolicy.owaspDefault())
                        .cacheControl("/static/**", "public, max-age=31536000, immutable")
                        .defaultCacheControl("no-store")
                        .build())
                .cookies(CookiePolicy.defaults())
                .cors(Cors.builder()
                        .mapping("api", List.of("/api/**"), policy -> policy.allowedOrigins("https://app.example.com")
                                .allowedMethods("GET", "POST")
                                .allowedHeaders("content-type", "authorization")
                                .allowCredentials(true))
                        .build())
                .requestLimits(RequestLimits.defaults())
                .concurrencyLimiter(limiter)
                .slowRequestThreshold(Duration.ofSeconds(120))
                .accessLog(AccessLog.builder()
                        .format("gunicorn")
                        .excludePaths(List.of("/metrics"))
                        .build())
                .requestListener(metrics)
                .build();
    }

    /** Returns the health probes of this example: no external dependency, so it runs anywhere. */
    static HealthRegistry health() {
        return HealthRegistry.builder()
                .probe(HealthProbe.builder("deadlocks", HealthProbes.deadlocks())
                        .groups(HealthRegistry.LIVENESS)
                        .build())
                .probe(HealthProbe.builder(
                                "disk",
                                HealthProbes.diskSpace(
                                        Path.of(System.getProperty("java.io.tmpdir")),
                                        HealthProbes.DEFAULT_MIN_FREE_BYTES))
                        .build())
                .build();
    }

    /** Starts the app on a port (0 for any free port) without a drain delay and returns the running server. */
    public static Server start(int port, List<String> trustedProxies) throws Exception {
        return start(port, trustedProxies, Duration.ZERO);
    }

    /**
     * Starts the app on a port (0 for any free port) and returns the running server; stopping it drains first.
     *
     * @param drainDelay how long readiness answers 503 while the app still serves, before in-flight requests drain
     */
    public static Server start(int port, List<String> trustedProxies, Duration drainDelay) throws Exception {
        HealthRegistry health = health();
        GracefulShutdown shutdown = GracefulShutdown.builder(health.lifecycle())
                .drainDelay(drainDelay)
                .gracefulTimeout(Duration.ofSeconds(30))
                .build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                Bulwark.install(event.getServletContext(), config(trustedProxies, health, registry));
            }
        });
        // after the set-up above: marks the app started once the context is up; closes the registry on stop
        context.addEventListener(new HealthLifecycleListener(health, shutdown));
        // flip readiness and drain while the connectors are still open: Jetty calls this before it closes them
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                shutdown.shutdown();
            }
        });
        context.addServlet(new ServletHolder("hello", new HelloServlet()), "/api/hello");
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(registry)), "/metrics");
        server.setHandler(context);
        server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String proxies = System.getenv().getOrDefault("BULWARK_CLIENT_TRUSTED_PROXIES", "");
        List<String> trusted = proxies.isBlank() ? List.of() : List.of(proxies.split("\\s*,\\s*"));
        String delay = System.getenv().getOrDefault("BULWARK_HEALTH_DRAIN_DELAY_SECONDS", "5");
        Server server = start(port, trusted, Duration.ofSeconds(Long.parseLong(delay.trim())));
        server.setStopAtShutdown(true); // SIGTERM: drain, then stop
        System.out.println("Bulwark servlet example on http://localhost:" + connectorPort(server) + "/api/hello");
        server.join();
    }

    static int connectorPort(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Serves the Prometheus registry's scrape text (text format 0.0.4). */
    static final class MetricsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        private final transient PrometheusMeterRegistry registry;

        MetricsServlet(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain; version=0.0.4; charset=utf-8");
            response.getWriter().write(registry.scrape());
        }
    }

    static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().print("Hello from Bulwark\n");
        }
    }
}
