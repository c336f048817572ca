package dev.bulwark.servlet.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * A real embedded servlet container ({@link Container#JETTY Jetty 12 ee10} or {@link Container#TOMCAT Tomcat 11})
 * listening on an ephemeral port of {@code 127.0.0.1}, with one web application at the root context path
 * ({@code getContextPath()} is {@code ""}).
 *
 * <p>Installers run inside a {@code ServletContainerInitializer} while the context initializes, so code under test
 * registers itself exactly as in a real application ({@code servletContext.addFilter(...)}, {@code addListener},
 * init parameters...). Servlets are then mapped by URL pattern. If an installer throws, {@link #start} stops the
 * container and rethrows that exception unchanged, so tests can assert on configuration errors.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder(container)
 *         .install(ctx -> ctx.setInitParameter("mode", "strict"))
 *         .filter("/*", new MyFilter())
 *         .servlet("/api/hello", Servlets.text("hello"))
 *         .start()) {
 *     Http.Response response = Http.get(server.uri("/api/hello?x=1"));
 * }
 * }</pre>
 *
 * <p>Usage and threading: start and close a server from the test thread, always with try-with-resources so the
 * container stops and its temporary directory is deleted even when an assertion fails. Each test gets its own server
 * (tens of milliseconds, once the first start in the JVM has loaded the container classes), so tests may run in
 * parallel. Once started, {@link #port()} and {@link #uri} may be called from any thread. Servlets and filters run on
 * container threads, possibly concurrently: keep them thread-safe, and prefer asserting on what reaches the wire,
 * because an assertion failing inside a servlet only becomes a 500 response.
 *
 * <p>Logging: Tomcat's {@code org.apache} JUL loggers are lowered to {@code WARNING} and Jetty's SLF4J loggers to
 * {@code warn}, unless already configured. To see Jetty's startup logs, run with
 * {@code -Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=info}.
 */
public final class TestServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String JETTY_LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.eclipse.jetty";
    /** Held strongly: JUL keeps loggers weakly, and a collected logger would forget its level. */
    private static final Logger TOMCAT_LOGGER = Logger.getLogger("org.apache");

    static {
        if (TOMCAT_LOGGER.getLevel() == null) {
            TOMCAT_LOGGER.setLevel(Level.WARNING);
        }
        if (System.getProperty(JETTY_LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(JETTY_LOG_LEVEL_PROPERTY, "warn");
        }
    }

    private final Container container;
    private final Engine engine;
    private final Path tempDir;
    private final int port;
    private boolean closed;

    private TestServer(Container container, Engine engine, Path tempDir, int port) {
        this.container = container;
        this.engine = engine;
        this.tempDir = tempDir;
        this.port = port;
    }

    /**
     * Starts {@code container} with one installer and a set of servlets.
     *
     * @param installer called with the {@code ServletContext} during context initialization
     * @param servlets servlets keyed by URL pattern ({@code "/*"}, {@code "/api/hello"}, {@code "*.json"}); the same
     *     instance may appear under several patterns and is then registered once
     */
    public static TestServer start(
            Container container, Consumer<ServletContext> installer, Map<String, ? extends HttpServlet> servlets) {
        Builder builder = builder(container).install(installer);
        servlets.forEach(builder::servlet);
        return builder.start();
    }

    /** Returns a builder for a server on {@code container}. */
    public static Builder builder(Container container) {
        return new Builder(container);
    }

    /** Returns the container this server runs on. */
    public Container container() {
        return container;
    }

    /** Returns the local port the container listens on (on {@code 127.0.0.1}). */
    public int port() {
        return port;
    }

    /**
     * Returns {@code http://127.0.0.1:<port><pathAndQuery>}.
     *
     * @param pathAndQuery an absolute path with an optional query, for example {@code "/api/hello?x=1"}; it is used
     *     as given, so it must already be percent-encoded where needed
     */
    public URI uri(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + pathAndQuery);
        }
        return URI.create("http://" + HOST + ":" + port + pathAndQuery);
    }

    /** Stops the container and deletes its temporary directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            engine.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Failed to stop " + container, e);
        } finally {
            deleteRecursively(tempDir);
        }
    }

    @Override
    public String toString() {
        return "TestServer[" + container + " on " + HOST + ":" + port + "]";
    }

    /** Collects installers and servlets, then {@linkplain #start() starts} the container. Single use. */
    public static final class Builder {
        private final Container container;
        private final List<Consumer<ServletContext>> installers = new ArrayList<>();
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();

        private Builder(Container container) {
            this.container = Objects.requireNonNull(container, "container");
        }

        /** Adds an installer, called with the {@code ServletContext} during initialization, in the order added. */
        public Builder install(Consumer<ServletContext> installer) {
            installers.add(Objects.requireNonNull(installer, "installer"));
            return this;
        }

        /**
         * Registers {@code filter} for {@code REQUEST} dispatches on {@code urlPattern}, through
         * {@code ServletContext.addFilter} in installation order.
         */
        public Builder filter(String urlPattern, Filter filter) {
            Objects.requireNonNull(filter, "filter");
            String name = "filter-" + installers.size();
            return install(ctx -> ctx.addFilter(name, filter).addMappingForUrlPatterns(null, true, urlPattern));
        }

        /** Maps {@code servlet} to {@code urlPattern}. */
        public Builder servlet(String urlPattern, HttpServlet servlet) {
            if (servlets.putIfAbsent(urlPattern, Objects.requireNonNull(servlet, "servlet")) != null) {
                throw new IllegalArgumentException("Duplicate servlet mapping: " + urlPattern);
            }
            return this;
        }

        /** Starts the container; blocks until it accepts connections. */
        public TestServer start() {
            Path tempDir;
            try {
                tempDir =
                        Files.createTempDirectory("bulwark-" + container.name().toLowerCase(Locale.ROOT));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Installer failures are caught here rather than left to the container, which would only log them
            // (Tomcat) or wrap them (Jetty): start() rethrows the original exception instead.
            AtomicReference<@Nullable Throwable> installerFailure = new AtomicReference<>();
            List<Consumer<ServletContext>> installersCopy = List.copyOf(installers);
            ServletContainerInitializer initializer = (classes, ctx) -> {
                try {
                    installersCopy.forEach(installer -> installer.accept(ctx));
                } catch (RuntimeException | Error e) {
                    installerFailure.set(e);
                }
            };
            Map<String, List<String>> patternsByName = new LinkedHashMap<>();
            Map<String, HttpServlet> servletsByName = new LinkedHashMap<>();
            Map<HttpServlet, String> names = new IdentityHashMap<>();
            servlets.forEach((pattern, servlet) -> {
                String name = names.computeIfAbsent(servlet, s -> "servlet-" + names.size());
                servletsByName.put(name, servlet);
                patternsByName.computeIfAbsent(name, n -> new ArrayList<>()).add(pattern);
            });

            Engine engine = container == Container.JETTY ? new JettyEngine() : new TomcatEngine();
            try {
                int port = engine.start(tempDir, initializer, servletsByName, patternsByName);
                Throwable failure = installerFailure.get();
                if (failure != null) {
                    throw failure;
                }
                return new TestServer(container, engine, tempDir, port);
            } catch (Throwable t) {
                try {
                    engine.stop();
                } catch (Exception e) {
                    t.addSuppressed(e);
                }
                deleteRecursively(tempDir);
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                if (t instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("Failed to start " + container, t);
            }
        }
    }

    /** One container implementation. */
    private interface Engine {
        /** Starts the container and returns its bound port. */
        int start(
                Path tempDir,
                ServletContainerInitializer initializer,
                Map<String, HttpServlet> servletsByName,
                Map<String, List<String>> patternsByName)
                throws Exception;

        /** Stops the container; safe to call after a failed or partial start. */
        void stop() throws Exception;
    }

    private static final class JettyEngine implements Engine {
        private @Nullable Server server;

        @Override
        public int start(
                Path tempDir,
                ServletContainerInitializer initializer,
                Map<String, HttpServlet> servletsByName,
                Map<String, List<String>> patternsByName)
                throws Exception {
            Server server = new Server();
            this.server = server;
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(HOST);
            connector.setPort(0);
            server.addConnector(connector);

            // Sessions on, as in Tomcat, so getSession() behaves the same on both.
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath("/"); // Jetty's spelling of the root context; getContextPath() returns ""
            context.setTempDirectory(tempDir.toFile());
            context.addServletContainerInitializer(initializer);
            servletsByName.forEach((name, servlet) -> {
                ServletHolder holder = new ServletHolder(name, servlet);
                patternsByName.get(name).forEach(pattern -> context.addServlet(holder, pattern));
            });
            server.setHandler(context);
            server.start();
            return connector.getLocalPort();
        }

        @Override
        public void stop() throws Exception {
            Server server = this.server;
            if (server != null) {
                server.stop();
            }
        }
    }

    private static final class TomcatEngine implements Engine {
        private @Nullable Tomcat tomcat;

        @Override
        public int start(
                Path tempDir,
                ServletContainerInitializer initializer,
                Map<String, HttpServlet> servletsByName,
                Map<String, List<String>> patternsByName)
                throws Exception {
            useSharedCatalinaHome();
            Registry.disableRegistry(); // no JMX MBeans: faster start, nothing left in the platform MBean server
            Tomcat tomcat = new Tomcat();
            this.tomcat = tomcat;
            tomcat.setBaseDir(tempDir.toString());
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("address", HOST);
            Files.createDirectories(tempDir.resolve("webapps"));
            Path docBase = Files.createDirectories(tempDir.resolve("docroot"));

            Context context = tomcat.addContext("", docBase.toString());
            if (context instanceof StandardContext standard) {
                // Leak detection on stop needs --add-opens and only warns about the test JVM (as in Spring Boot).
                standard.setClearReferencesThreadLocals(false);
                standard.setClearReferencesRmiTargets(false);
            }
            context.addServletContainerInitializer(initializer, null);
            servletsByName.forEach((name, servlet) -> {
                Tomcat.addServlet(context, name, servlet);
                patternsByName.get(name).forEach(pattern -> context.addServletMapping(pattern, name));
            });
            tomcat.start();
            if (context.getState() != LifecycleState.STARTED) {
                throw new IllegalStateException("Tomcat context failed to start: " + context.getState());
            }
            int port = tomcat.getConnector().getLocalPort();
            if (port <= 0) {
                throw new IllegalStateException("Tomcat connector is not bound");
            }
            return port;
        }

        /**
         * The first Tomcat in a JVM records its base directory as the JVM-wide {@code catalina.home}, and later
         * instances recreate that directory after it was deleted. Point them all at one home, deleted at JVM exit.
         */
        private static synchronized void useSharedCatalinaHome() throws IOException {
            if (System.getProperty("catalina.home") == null) {
                Path home = Files.createTempDirectory("bulwark-tomcat-home");
                System.setProperty("catalina.home", home.toString());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(home)));
            }
        }

        @Override
        public void stop() throws Exception {
            Tomcat tomcat = this.tomcat;
            if (tomcat != null) {
                try {
                    tomcat.stop();
                } finally {
                    tomcat.destroy();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a leftover file in the system temp directory must not fail the test
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort, as above
        }
    }
}
