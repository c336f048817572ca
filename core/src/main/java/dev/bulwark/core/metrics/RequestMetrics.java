package dev.bulwark.core.metrics;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.RequestListener;
import dev.bulwark.core.internal.Checks;
import dev.bulwark.core.limits.AdmissionDecision;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.LimitDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Records requests and Bulwark's rejections in Micrometer, as a {@link RequestListener}.
 *
 * <p>Meters, tagged with bounded values only (never a client, a raw path or an origin):
 *
 * <ul>
 *   <li>{@code bulwark.http.server.requests} (timer with a histogram of service-level objectives, by default the
 *       seed's Prometheus buckets 0.1, 0.3, 1.2 and 5 s): {@code method} (a standard method or {@code OTHER}), {@code
 *       status} (the status class: {@code 2xx}, {@code 4xx}, …) and {@code route} (the route pattern, such as {@code
 *       /api/items/{id}}, or {@code UNKNOWN}; past {@value #MAX_ROUTES} distinct routes, {@code OTHER});
 *   <li>{@code bulwark.http.server.requests.active} (gauge): requests in flight;
 *   <li>{@code bulwark.rejections} (counter): {@code capability} and {@code reason}, for every request a Bulwark
 *       capability answered itself (rate limit, CORS, request limits, overload);
 *   <li>after {@link #monitor(ConcurrencyLimiter)}: {@code bulwark.overload.in.flight} and {@code
 *       bulwark.overload.queued} (gauges), {@code bulwark.overload.admitted} and {@code bulwark.overload.rejected}
 *       ({@code reason}) (function counters).
 * </ul>
 *
 * <pre>{@code
 * RequestMetrics metrics = new RequestMetrics(registry);
 * Bulwark.install(context, BulwarkConfig.builder().requestListener(metrics).build());
 * }</pre>
 *
 * <p>Safe for concurrent use; recording a request is a map lookup and a timer update, with no allocation once each
 * route's meters exist.
 */
public final class RequestMetrics implements RequestListener {

    /** The seed's Prometheus buckets: 0.1, 0.3, 1.2 and 5 seconds. */
    public static final List<Duration> DEFAULT_SLOS =
            List.of(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(1200), Duration.ofSeconds(5));

    /** The most distinct routes given their own meters; later ones share the route {@code OTHER}. */
    public static final int MAX_ROUTES = 1000;

    private static final String[] METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER"
    };
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "UNKNOWN"};

    private final MeterRegistry registry;
    private final Tags tags;
    private final Duration[] slos;
    private final ConcurrentMap<String, Timer[]> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Rejection, Counter> rejections = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    /** Creates a binder with the default service-level objectives. */
    public RequestMetrics(MeterRegistry registry) {
        this(registry, DEFAULT_SLOS, Tags.empty());
    }

    /**
     * Creates a binder.
     *
     * @param slos the histogram's service-level objectives (bucket bounds), each positive
     * @param tags extra tags added to every meter
     * @throws IllegalArgumentException if an objective is not positive
     */
    public RequestMetrics(MeterRegistry registry, List<Duration> slos, Iterable<Tag> tags) {
        this.registry = requireNonNull(registry, "registry");
        this.tags = Tags.of(requireNonNull(tags, "tags"));
        requireNonNull(slos, "slos");
        for (Duration slo : slos) {
            Checks.requireArgument(
                    slo != null && !slo.isNegative() && !slo.isZero(), "metrics SLO bucket must be positive: %s", slo);
        }
        this.slos = slos.stream().sorted().distinct().toArray(Duration[]::new);
        Gauge.builder("bulwark.http.server.requests.active", active, AtomicInteger::get)
                .description("Requests in flight")
                .tags(this.tags)
                .register(registry);
        for (LimitDecision.Reason reason : LimitDecision.Reason.values()) {
            counter(Rejection.of(Rejection.LIMITS, reason.token()));
        }
        for (AdmissionDecision decision : AdmissionDecision.values()) {
            Rejection rejection = decision.rejection();
            if (rejection != null) {
                counter(rejection);
            }
        }
    }

    /** Returns the service-level objectives of the request histogram, ascending. */
    public List<Duration> slos() {
        return List.of(slos);
    }

    @Override
    public void onStarted() {
        active.incrementAndGet();
    }

    @Override
    public void onCompleted(
            String method, int status, String route, long durationNanos, @Nullable Rejection rejection) {
        active.decrementAndGet();
        timer(method, status, route).record(Math.max(0, durationNanos), TimeUnit.NANOSECONDS);
        if (rejection != null) {
            counter(rejection).increment();
        }
    }

    private Timer timer(String method, int status, String route) {
        Timer[] byRoute = timers.get(route);
        if (byRoute == null) {
            if (timers.size() >= MAX_ROUTES) {
                route = "OTHER";
            }
            byRoute = timers.computeIfAbsent(route, r -> new Timer[METHODS.length * STATUS_CLASSES.length]);
        }
        int m = methodIndex(method);
        int s = status >= 100 && status <= 599 ? status / 100 - 1 : STATUS_CLASSES.length - 1;
        int index = m * STATUS_CLASSES.length + s;
        Timer timer = byRoute[index];
        if (timer == null) {
            timer = Timer.builder("bulwark.http.server.requests")
                    .description("Duration of HTTP requests, by method, status class and route pattern")
                    .tags(tags)
                    .tag("method", METHODS[m])
                    .tag("status", STATUS_CLASSES[s])
                    .tag("route", route)
                    .serviceLevelObjectives(slos)
                    .register(registry);
            byRoute[index] = timer; // a benign race: register() returns the same meter to every thread
        }
        return timer;
    }

    private static int methodIndex(String method) {
        for (int i = 0; i < METHODS.length - 1; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length - 1;
    }

    private Counter counter(Rejection rejection) {
        Counter found = rejections.get(rejection);
        return found != null
                ? found
                : rejections.computeIfAbsent(rejection, r -> Counter.builder("bulwark.rejections")
                        .description("Requests a Bulwark capability answered itself, by capability and reason")
                        .tags(tags)
                        .tag("capability", r.capability())
                        .tag("reason", r.reason())
                        .register(registry));
    }

    /** Returns the number of requests in flight, as the gauge reports it. */
    public int active() {
        return active.get();
    }

    /** Registers the concurrency limiter's gauges and counters ({@code bulwark.overload.*}). */
    public void monitor(ConcurrencyLimiter limiter) {
        requireNonNull(limiter, "limiter");
        Gauge.builder("bulwark.overload.in.flight", limiter, ConcurrencyLimiter::inFlight)
                .description("Requests holding a concurrency limiter slot")
                .tags(tags)
                .register(registry);
        Gauge.builder("bulwark.overload.queued", limiter, ConcurrencyLimiter::queued)
                .description("Requests waiting for a concurrency limiter slot")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("bulwark.overload.admitted", limiter, ConcurrencyLimiter::admitted)
                .description("Requests the concurrency limiter admitted")
                .tags(tags)
                .register(registry);
        for (AdmissionDecision decision : AdmissionDecision.values()) {
            Rejection rejection = decision.rejection();
            if (rejection != null) {
                FunctionCounter.builder("bulwark.overload.rejected", limiter, l -> l.rejected(decision))
                        .description("Requests the concurrency limiter refused, by reason")
                        .tags(tags)
                        .tag("reason", rejection.reason())
                        .register(registry);
            }
        }
    }

    @Override
    public String toString() {
        return "RequestMetrics[" + registry.getClass().getSimpleName() + ", slos=" + List.of(slos) + "]";
    }
}
