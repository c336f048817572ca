package dev.bulwark.examples.servlet;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.servlet.Bulwark;
import dev.bulwark.servlet.BulwarkConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The same {@code /api/hello} as the Spring Boot example, on embedded Jetty 12 with no Spring: one {@link
 * Bulwark#install} call registers every filter in order.
 *
 * <p>Run: {@code java -jar examples/servlet-app/target/bulwark-example-servlet-app.jar [port]} (default 8080;
 * trusted proxies from the {@code BULWARK_CLIENT_TRUSTED_PROXIES} environment variable, comma-separated).
 */
public final class ServletApp {

    private ServletApp() {}

    /** Returns the Bulwark configuration of this example. */
    static BulwarkConfig config(List<String> trustedProxies) {
        return BulwarkConfig.builder()
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
                .build();
    }

    /** Starts the app on a port (0 for any free port) and returns the running server. */
    public static Server start(int port, List<String> trustedProxies) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                Bulwark.install(event.getServletContext(), config(trustedProxies));
            }
        });
        context.addServlet(new ServletHolder("hello", new HelloServlet()), "/api/hello");
        server.setHandler(context);
        server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String proxies = System.getenv().getOrDefault("BULWARK_CLIENT_TRUSTED_PROXIES", "");
        List<String> trusted = proxies.isBlank() ? List.of() : List.of(proxies.split("\\s*,\\s*"));
        Server server = start(port, trusted);
        System.out.println("Bulwark servlet example on http://localhost:" + connectorPort(server) + "/api/hello");
        server.join();
    }

    static int connectorPort(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
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
