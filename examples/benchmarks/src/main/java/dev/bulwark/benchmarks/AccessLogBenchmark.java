package dev.bulwark.benchmarks;

import dev.bulwark.core.accesslog.AccessLog;
import dev.bulwark.core.accesslog.AccessLogEntry;
import dev.bulwark.core.accesslog.AccessLogFormat;
import dev.bulwark.core.accesslog.AccessLogSink;
import dev.bulwark.servlet.AccessLogFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.valves.AbstractAccessLogValve;
import org.apache.tomcat.util.modeler.Registry;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One access log line per operation, for the same request, in the Apache/nginx {@code combined} format: Bulwark's
 * {@link AccessLogFormat} against Tomcat's {@code AbstractAccessLogValve} with the pattern {@code combined} (what
 * {@code AccessLogValve} renders before writing to its file), both over Tomcat 11's real connector request and
 * response. Tomcat's valve gets a sink that keeps the rendered characters (no file); Bulwark's sinks keep the line.
 *
 * <ul>
 *   <li>{@code tomcatValve}: {@code AbstractAccessLogValve.log(request, response, time)} — renders into a pooled
 *       {@code CharArrayWriter};
 *   <li>{@code bulwarkFormat}: {@link AccessLogFormat#format(AccessLogEntry, StringBuilder)} into a reused builder —
 *       the same work as Tomcat's valve;
 *   <li>{@code bulwarkLog}: {@link AccessLog#log(AccessLogEntry)}, which also makes the {@code String} an SLF4J logger
 *       needs;
 *   <li>{@code bulwarkFilter}: the whole {@link AccessLogFilter} around an empty chain: exclusion check, timing, the
 *       counting response wrapper, the entry and the line;
 *   <li>{@code bulwarkJson}: the {@code json} format, for comparison.
 * </ul>
 *
 * {@code setUp} fails the run unless Tomcat's and Bulwark's lines are identical.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccessLogBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};
    private static final long START_MILLIS = 1_779_500_000_123L;
    private static final long BYTES = 1234;

    /** Keeps what it is given, like a logger that formats nothing further. */
    static final class KeepingSink implements AccessLogSink {
        @Nullable
        String last;

        @Override
        public void write(String line) {
            last = line;
        }
    }

    /** Tomcat's access log rendering, with the file replaced by a sink that keeps the rendered characters. */
    static final class SinkValve extends AbstractAccessLogValve {
        int length;

        @Nullable
        String last;

        boolean keepText;

        @Override
        protected void log(CharArrayWriter message) {
            length = message.size();
            if (keepText) {
                last = message.toString();
            }
        }
    }

    /** Bulwark's view of the same Tomcat request. */
    static final class Entry implements AccessLogEntry {
        private final HttpServletRequest request;
        private final int status;

        Entry(HttpServletRequest request, int status) {
            this.request = request;
            this.status = status;
        }

        @Override
        public String clientAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public String peerAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public @Nullable String forwardedChain() {
            return request.getHeader("X-Forwarded-For");
        }

        @Override
        public @Nullable String user() {
            return request.getRemoteUser();
        }

        @Override
        public long startMillis() {
            return START_MILLIS;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String requestUri() {
            return request.getRequestURI();
        }

        @Override
        public @Nullable String query() {
            return request.getQueryString();
        }

        @Override
        public String protocol() {
            return request.getProtocol();
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public long bytesSent() {
            return BYTES;
        }

        @Override
        public long durationNanos() {
            return 1_234_567;
        }

        @Override
        public @Nullable String requestHeader(String name) {
            return request.getHeader(name);
        }

        @Override
        public @Nullable String responseHeader(String name) {
            return null;
        }
    }

    private TomcatExchange exchange;
    private SinkValve valve;
    private AccessLogFormat combined;
    private AccessLogFormat json;
    private Entry entry;
    private StringBuilder buffer;
    private KeepingSink sink;
    private AccessLog accessLog;
    private AccessLogFilter filter;

    @Setup
    public void setUp() throws LifecycleException, IOException, ServletException {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC")); // Tomcat's valve renders in the default zone
        Registry.disableRegistry();
        exchange = new TomcatExchange("GET", -1);
        // the body bytes Tomcat's %b reports: as if the application had written 1234 bytes
        exchange.coyoteResponse.setOutputBuffer(new org.apache.coyote.OutputBuffer() {
            @Override
            public int doWrite(java.nio.ByteBuffer chunk) {
                return chunk.remaining();
            }

            @Override
            public long getBytesWritten() {
                return BYTES;
            }
        });
        exchange.coyoteRequest.setStartTimeNanos(
                System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - START_MILLIS));
        valve = new SinkValve();
        valve.setPattern("combined");
        valve.setContainer(new StandardEngine()); // a valve starts inside a container; this one never runs
        valve.start();

        combined = AccessLogFormat.of("combined", ZoneOffset.UTC);
        json = AccessLogFormat.of("json", ZoneOffset.UTC);
        entry = new Entry(exchange.servletRequest(), 200);
        buffer = new StringBuilder(512);
        sink = new KeepingSink();
        accessLog = AccessLog.builder().format(combined).sink(sink).build();
        filter = new AccessLogFilter(
                AccessLog.builder().format(combined).sink(sink).build());

        valve.keepText = true;
        tomcatValve();
        valve.keepText = false;
        String tomcat = valve.last;
        String bulwark = bulwarkFormat().toString();
        // Tomcat's %t is the request's start, derived from its clock: compare everything but the timestamp
        if (tomcat == null || !mask(tomcat).equals(mask(bulwark))) {
            throw new IllegalStateException("lines differ:\n  tomcat:  " + tomcat + "\n  bulwark: " + bulwark);
        }
        bulwarkFilter();
        // the empty chain writes no body: the filter's line says "-" where the fixed entry says 1234
        if (sink.last == null || !mask(sink.last).equals(mask(bulwark).replace(" 200 1234 ", " 200 - "))) {
            throw new IllegalStateException("filter line differs:\n  filter:  " + sink.last + "\n  format: " + bulwark);
        }
    }

    static String mask(String line) {
        return line.replaceFirst("\\[[^]]+]", "[time]");
    }

    /** Returns the line Tomcat rendered last (during set-up). */
    @Nullable
    String tomcatLine() {
        return valve.last;
    }

    @Benchmark
    public int tomcatValve() {
        valve.log(exchange.request, exchange.response, 1_234_567L);
        return valve.length;
    }

    @Benchmark
    public StringBuilder bulwarkFormat() {
        buffer.setLength(0);
        combined.format(entry, buffer);
        return buffer;
    }

    @Benchmark
    public boolean bulwarkLog() {
        return accessLog.log(entry);
    }

    @Benchmark
    public @Nullable String bulwarkFilter() throws IOException, ServletException {
        filter.doFilter(exchange.servletRequest(), exchange.servletResponse(), EMPTY_CHAIN);
        return sink.last;
    }

    @Benchmark
    public StringBuilder bulwarkJson() {
        buffer.setLength(0);
        json.format(entry, buffer);
        return buffer;
    }
}
