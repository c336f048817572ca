package dev.bulwark.benchmarks;

import dev.bulwark.core.ratelimit.RateLimiter;
import jakarta.servlet.ServletException;
import java.util.SplittableRandom;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockServletContext;

/**
 * What the rate-limit benchmarks share: the clients, the order they arrive in, and the two limiters configured so that
 * they never reject during a run.
 */
final class RateLimitClients {

    /** How many client indexes a benchmark draws up front (a power of two: the next index is a mask away). */
    static final int SEQUENCE = 1 << 20;

    /** The request attribute Tomcat's filter refuses to count twice; a benchmark clears it before each request. */
    static final String TOMCAT_COUNT = "org.apache.catalina.filters.RateLimitFilter.Count";

    private RateLimitClients() {}

    /** Returns {@code keys} distinct IPv4 addresses from 10.0.0.0 on, as a connector reports them. */
    static String[] addresses(int keys) {
        String[] addresses = new String[keys];
        for (int i = 0; i < keys; i++) {
            int v = 0x0a000000 + i;
            addresses[i] = (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
        }
        return addresses;
    }

    /** Returns {@code length} client indexes drawn uniformly from {@code [0, keys)}, the same for the same seed. */
    static int[] sequence(int keys, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] sequence = new int[length];
        for (int i = 0; i < length; i++) {
            sequence[i] = random.nextInt(keys);
        }
        return sequence;
    }

    /**
     * Returns Bulwark's limiter: anonymous clients with a capacity of 10<sup>9</sup> refilled by one token per 366 days
     * (no bucket is full again, so none expires during a run), the store bounded at twice the key count.
     */
    static RateLimiter bulwarkLimiter(int keys) {
        return RateLimiter.builder()
                .anonymous("1/366d;burst=1000000000")
                .maxTrackedKeys(Math.max(1000, 2L * keys))
                .build();
    }

    /** Returns Tomcat 11's filter: 10<sup>9</sup> requests per one-hour window, IETF headers exposed. */
    static org.apache.catalina.filters.RateLimitFilter tomcatFilter() throws ServletException {
        org.apache.catalina.filters.RateLimitFilter tomcat = new org.apache.catalina.filters.RateLimitFilter();
        MockFilterConfig config = new MockFilterConfig(new MockServletContext(), "tomcatRateLimit");
        config.addInitParameter("bucketDuration", "3600");
        config.addInitParameter("bucketRequests", "1000000000");
        config.addInitParameter("exposeHeaders", "true");
        tomcat.init(config);
        return tomcat;
    }
}
