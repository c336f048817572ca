package dev.bulwark.benchmarks;

import dev.bulwark.core.RequestView;
import dev.bulwark.core.ResponseHeaders;
import dev.bulwark.core.client.IpAddress;
import dev.bulwark.core.ratelimit.RateLimitDecision;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.servlet.RateLimitFilter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * One rate-limit decision per operation, for a client picked uniformly at random among {@code keys} live clients (IPv4
 * addresses, every one already tracked by every contender, so each operation is a lookup and a consumption, never a
 * creation):
 *
 * <ul>
 *   <li>{@code floor}: a bare bucket4j {@code tryConsumeAndReturnRemaining(1)} on a {@code ConcurrentHashMap} lookup by
 *       the address string — no key resolution, no bound, no expiry, no headers;
 *   <li>{@code bulwarkDecision}: {@link RateLimiter#evaluate} with the client address already resolved (as {@code
 *       ClientIdentityFilter} leaves it for the filter): exemption checks, key, bounded store lookup, consumption, and the
 *       {@code RateLimit} / {@code RateLimit-Policy} header values;
 *   <li>{@code bulwarkFilter} and {@code tomcatFilter}: Bulwark's {@link RateLimitFilter} against Tomcat's {@code
 *       org.apache.catalina.filters.RateLimitFilter} on the same Spring mock request (its remote address set per
 *       operation) and the same recycled Tomcat connector response; both write IETF rate-limit headers. Bulwark parses
 *       the peer address (no client identity filter in front); Tomcat keys on the raw string.
 * </ul>
 *
 * <p>The limits never reject: Bulwark and bucket4j use a capacity of 10<sup>9</sup> refilled by one token per 366 days
 * (so no bucket is ever full again and none expires during the run), Tomcat a one-hour window of 10<sup>9</sup>
 * requests. Bulwark's store is bounded at twice the key count.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class RateLimitBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};

    @Param({"1", "10000", "1000000"})
    public int keys;

    private String[] addresses;
    private IpAddress[] parsed;
    private int[] sequence;
    private int next;

    private ConcurrentHashMap<String, Bucket> floorBuckets;
    private RateLimiter limiter;
    private RateLimitFilter bulwarkFilter;
    private org.apache.catalina.filters.RateLimitFilter tomcatFilter;
    private MockHttpServletRequest request;
    private org.apache.coyote.Response coyoteResponse;
    private HttpServletResponse tomcatResponse;
    private final MutableRequestView view = new MutableRequestView();
    private final HeaderSink sink = new HeaderSink();

    @Setup(Level.Trial)
    public void setUp() throws ServletException, IOException {
        addresses = RateLimitClients.addresses(keys);
        parsed = new IpAddress[keys];
        for (int i = 0; i < keys; i++) {
            parsed[i] = IpAddress.of(addresses[i]);
        }
        sequence = RateLimitClients.sequence(keys, RateLimitClients.SEQUENCE, 7);

        floorBuckets = new ConcurrentHashMap<>();
        for (String address : addresses) {
            floorBuckets.put(address, Bucket.builder().addLimit(bandwidth()).build());
        }

        limiter = RateLimitClients.bulwarkLimiter(keys);
        bulwarkFilter = new RateLimitFilter(limiter);
        tomcatFilter = RateLimitClients.tomcatFilter();

        request = new MockHttpServletRequest("GET", "/api/items");
        request.setServletPath("/api/items");
        coyoteResponse = new org.apache.coyote.Response();
        tomcatResponse = new org.apache.catalina.connector.Response(coyoteResponse).getResponse();

        // every key live in every contender before measuring
        for (int i = 0; i < keys; i++) {
            limiter.tryAcquire("anon", addresses[i]);
            request.setRemoteAddr(addresses[i]);
            request.removeAttribute(RateLimitClients.TOMCAT_COUNT);
            coyoteResponse.recycle();
            tomcatFilter.doFilter(request, tomcatResponse, EMPTY_CHAIN);
        }
        if (limiter.store().trackedKeys() != keys) {
            throw new IllegalStateException(
                    "expected " + keys + " tracked keys: " + limiter.store().trackedKeys());
        }
        check();
    }

    private static Bandwidth bandwidth() {
        return Bandwidth.builder()
                .capacity(1_000_000_000L)
                .refillGreedy(1, Duration.ofDays(366))
                .build();
    }

    /** Fails the run unless both filters let requests through and write rate-limit headers. */
    private void check() throws ServletException, IOException {
        HttpServletResponse bulwark = bulwarkFilter();
        String bulwarkPolicy = bulwark.getHeader("RateLimit-Policy");
        HttpServletResponse tomcat = tomcatFilter();
        String tomcatPolicy = tomcat.getHeader("RateLimit-Policy");
        if (bulwarkPolicy == null || tomcatPolicy == null || bulwark.getStatus() != 200 || tomcat.getStatus() != 200) {
            throw new IllegalStateException("a contender rejected or wrote no headers: bulwark " + bulwark.getStatus()
                    + " " + bulwarkPolicy + ", tomcat " + tomcat.getStatus() + " " + tomcatPolicy);
        }
        if (floor().getRemainingTokens() <= 0 || bulwarkDecision().rejected() || sink.rateLimit == null) {
            throw new IllegalStateException("floor or Bulwark decision did not run");
        }
    }

    private int nextIndex() {
        return sequence[next++ & (RateLimitClients.SEQUENCE - 1)];
    }

    /** bucket4j on a ConcurrentHashMap: the floor. */
    @Benchmark
    public ConsumptionProbe floor() {
        return floorBuckets.get(addresses[nextIndex()]).tryConsumeAndReturnRemaining(1);
    }

    /** Bulwark's decision with the client already resolved, headers produced. */
    @Benchmark
    public RateLimitDecision bulwarkDecision() {
        int i = nextIndex();
        view.peer = addresses[i];
        return limiter.evaluate(view, parsed[i], sink, RateLimiter.Stage.ALL);
    }

    /**
     * What the two filter benchmarks spend outside the filters: setting the peer address, clearing Tomcat's count
     * attribute and recycling the response. Subtract it from both to compare the filters themselves.
     */
    @Benchmark
    public HttpServletResponse harness() throws ServletException, IOException {
        request.setRemoteAddr(addresses[nextIndex()]);
        request.removeAttribute(RateLimitClients.TOMCAT_COUNT);
        coyoteResponse.recycle();
        EMPTY_CHAIN.doFilter(request, tomcatResponse);
        return tomcatResponse;
    }

    /** Bulwark's servlet filter on a recycled Tomcat response. */
    @Benchmark
    public HttpServletResponse bulwarkFilter() throws ServletException, IOException {
        request.setRemoteAddr(addresses[nextIndex()]);
        coyoteResponse.recycle();
        bulwarkFilter.doFilter(request, tomcatResponse, EMPTY_CHAIN);
        return tomcatResponse;
    }

    /** Tomcat's RateLimitFilter on the same request and response. */
    @Benchmark
    public HttpServletResponse tomcatFilter() throws ServletException, IOException {
        request.setRemoteAddr(addresses[nextIndex()]);
        request.removeAttribute(RateLimitClients.TOMCAT_COUNT);
        coyoteResponse.recycle();
        tomcatFilter.doFilter(request, tomcatResponse, EMPTY_CHAIN);
        return tomcatResponse;
    }

    /** Returns the limiter, for the memory measurement and tests. */
    RateLimiter limiter() {
        return limiter;
    }

    /** A request whose peer changes per operation; everything else is fixed. */
    static final class MutableRequestView implements RequestView {
        String peer = "";

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String scheme() {
            return "https";
        }

        @Override
        public String host() {
            return "api.example.com";
        }

        @Override
        public int port() {
            return 443;
        }

        @Override
        public String path() {
            return "/api/items";
        }

        @Override
        public String requestUri() {
            return "/api/items";
        }

        @Override
        public @Nullable String query() {
            return null;
        }

        @Override
        public @Nullable String header(String name) {
            return null;
        }

        @Override
        public List<String> headers(String name) {
            return List.of();
        }

        @Override
        public String peerAddress() {
            return peer;
        }

        @Override
        public @Nullable String principalName() {
            return null;
        }
    }

    /** Keeps the last header values (so they are produced) without allocating. */
    static final class HeaderSink implements ResponseHeaders {
        @Nullable
        String policy;

        @Nullable
        String rateLimit;

        @Override
        public boolean contains(String name) {
            return false;
        }

        @Override
        public @Nullable String get(String name) {
            return null;
        }

        @Override
        public void set(String name, String value) {
            add(name, value);
        }

        @Override
        public void add(String name, String value) {
            if (name.equals("RateLimit")) {
                rateLimit = value;
            } else {
                policy = value;
            }
        }

        @Override
        public boolean isEmpty() {
            return true;
        }
    }
}
