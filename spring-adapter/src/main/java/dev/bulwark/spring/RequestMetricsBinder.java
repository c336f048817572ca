package dev.bulwark.spring;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.RequestListener;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.metrics.RequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds {@link RequestMetrics} to the context's {@link MeterRegistry} once every singleton exists, whatever the order
 * of auto-configurations, and publishes the concurrency limiter when there is one: until then (and for ever, when the
 * application has no registry) requests are not recorded. Safe for concurrent use.
 */
final class RequestMetricsBinder implements RequestListener, SmartInitializingSingleton {

    private final ObjectProvider<MeterRegistry> registries;
    private final ObjectProvider<ConcurrencyLimiter> limiters;
    private final List<Duration> slos;
    private volatile RequestListener delegate = RequestListener.noop();

    RequestMetricsBinder(
            ObjectProvider<MeterRegistry> registries,
            ObjectProvider<ConcurrencyLimiter> limiters,
            List<Duration> slos) {
        this.registries = registries;
        this.limiters = limiters;
        this.slos = List.copyOf(slos);
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        if (registry != null) {
            RequestMetrics metrics = new RequestMetrics(registry, slos, Tags.empty());
            ConcurrencyLimiter limiter = limiters.getIfUnique();
            if (limiter != null) {
                metrics.monitor(limiter);
            }
            delegate = metrics;
        }
    }

    /** Returns the metrics once bound, else {@code null}. */
    @Nullable
    RequestMetrics metrics() {
        return delegate instanceof RequestMetrics metrics ? metrics : null;
    }

    @Override
    public void onStarted() {
        delegate.onStarted();
    }

    @Override
    public void onCompleted(
            String method, int status, String route, long durationNanos, @Nullable Rejection rejection) {
        delegate.onCompleted(method, status, route, durationNanos, rejection);
    }

    @Override
    public String toString() {
        return "RequestMetricsBinder[" + delegate + "]";
    }
}
