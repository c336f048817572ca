package dev.bulwark.spring;

import dev.bulwark.core.ratelimit.BucketStore;
import dev.bulwark.core.ratelimit.Rate;
import dev.bulwark.core.ratelimit.RateLimitHeaderStyle;
import dev.bulwark.core.ratelimit.RateLimitKey;
import dev.bulwark.core.ratelimit.RateLimitListener;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.RateLimitFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rate limiting: a {@link RateLimiter} from {@code bulwark.rate-limit.*} (then {@link RateLimiterCustomizer} beans),
 * usable from application code for limits outside HTTP, and two {@link RateLimitFilter}s around Spring Security:
 *
 * <ul>
 *   <li>{@code bulwarkRateLimit} ({@link FilterOrder#RATE_LIMIT}, before Spring Security): scopes keyed by
 *       {@code ip} or {@code header:<name>}, so that a login endpoint Spring Security answers itself is limited;
 *   <li>{@code bulwarkRateLimitAuthenticated} ({@link FilterOrder#AFTER_AUTHENTICATION}): the anonymous and
 *       authenticated policies and scopes keyed by {@code user}, once the principal is known.
 * </ul>
 *
 * <p>Every bean backs off to the application's own. Invalid rates, keys or values fail startup naming the property.
 * When Micrometer is on the classpath and the context has a {@code MeterRegistry}, decisions and store size are
 * published as {@code bulwark.ratelimit.*} meters; {@link RateLimitListener} beans receive every decision.
 *
 * <p>Buckets live in memory by default ({@code bulwark.rate-limit.store=local}). With {@code store=redis} a {@link
 * RedisBucketStore} bean shares every limit between the application's instances: built from {@code
 * bulwark.rate-limit.redis.uri}, or else on the application's Lettuce {@code RedisClient} bean or Spring Data Redis
 * {@code LettuceConnectionFactory}; it is closed with the context. A {@link BucketStore} bean of the application's own
 * replaces either.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.rate-limit", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class BulwarkRateLimitAutoConfiguration {

    private static final String P = "bulwark.rate-limit.";

    @Bean
    @ConditionalOnMissingBean
    RateLimiter bulwarkRateLimiter(
            RateLimitProperties properties,
            ObjectProvider<RateLimiterCustomizer> customizers,
            ObjectProvider<RateLimitListener> listeners,
            ObjectProvider<BucketStore> stores) {
        RateLimiter.Builder builder = RateLimiter.builder();
        boolean redis = isRedis(properties.store());
        BucketStore store = stores.getIfUnique();
        if (store != null) {
            builder.store(store);
        } else if (redis) {
            throw new InvalidBulwarkPropertyException(
                    P + "store",
                    properties.store(),
                    "the Redis store needs io.lettuce:lettuce-core on the classpath; add it, or set store=local",
                    new IllegalStateException());
        }
        if (properties.anonymous() != null && !properties.anonymous().isBlank()) {
            Props.apply(P + "anonymous", properties.anonymous(), () -> builder.anonymous(properties.anonymous()));
        }
        if (properties.authenticated() != null && !properties.authenticated().isBlank()) {
            Props.apply(
                    P + "authenticated",
                    properties.authenticated(),
                    () -> builder.authenticated(properties.authenticated()));
        }
        for (Map.Entry<String, RateLimitProperties.Scope> entry :
                properties.scopes().entrySet()) {
            builder.scope(scope(entry.getKey(), entry.getValue()));
        }
        Props.apply(P + "ipv6-prefix", properties.ipv6Prefix(), () -> builder.ipv6Prefix(properties.ipv6Prefix()));
        Props.apply(
                P + "max-tracked-keys",
                properties.maxTrackedKeys(),
                () -> builder.maxTrackedKeys(properties.maxTrackedKeys()));
        Props.apply(
                P + "headers",
                properties.headers(),
                () -> builder.headers(RateLimitHeaderStyle.parse(properties.headers())));
        builder.dryRun(properties.dryRun());
        Props.apply(P + "exempt-paths", properties.exemptPaths(), () -> builder.exemptPaths(properties.exemptPaths()));
        Props.apply(
                P + "exempt-addresses",
                properties.exemptAddresses(),
                () -> builder.exemptAddresses(properties.exemptAddresses()));
        builder.exemptPreflight(properties.exemptPreflight());
        RateLimitProperties.Rejection rejection = properties.rejection();
        Props.apply(P + "rejection.status", rejection.status(), () -> builder.rejectionStatus(rejection.status()));
        if (rejection.body() != null) {
            Props.apply(
                    P + "rejection.content-type",
                    rejection.contentType(),
                    () -> builder.rejectionBody(rejection.contentType(), rejection.body()));
        }
        List<RateLimitListener> all = listeners.orderedStream().toList();
        if (!all.isEmpty()) {
            builder.listener(all.size() == 1 ? all.get(0) : new CompositeListener(all));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return Props.bind(P + "*", "", builder::build);
    }

    private static boolean isRedis(String store) {
        return switch (store.strip().toLowerCase(Locale.ROOT)) {
            case "local" -> false;
            case "redis" -> true;
            default ->
                throw new InvalidBulwarkPropertyException(
                        P + "store", store, "must be local or redis", new IllegalArgumentException());
        };
    }

    /** The Redis store, when {@code bulwark.rate-limit.store=redis} and Lettuce is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.lettuce.core.RedisClient")
    @ConditionalOnProperty(prefix = "bulwark.rate-limit", name = "store", havingValue = "redis")
    static class RedisStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean(BucketStore.class)
        RedisBucketStore bulwarkRedisBucketStore(RateLimitProperties properties, ListableBeanFactory beans) {
            return RedisStoreFactory.create(properties, beans);
        }
    }

    private static RateLimitPolicy scope(String name, RateLimitProperties.Scope scope) {
        String prefix = P + "scopes." + name + ".";
        RateLimitPolicy.Builder builder =
                Props.bind(prefix.substring(0, prefix.length() - 1), name, () -> RateLimitPolicy.scope(name));
        if (scope.rate() == null || scope.rate().isBlank()) {
            throw new InvalidBulwarkPropertyException(
                    prefix + "rate",
                    "",
                    "missing; give the scope a rate such as 5/min",
                    new IllegalArgumentException());
        }
        List<Rate> rates = Props.bind(prefix + "rate", scope.rate(), () -> Rate.parseList(scope.rate()));
        builder.rates(rates);
        Props.apply(prefix + "paths", scope.paths(), () -> builder.paths(scope.paths()));
        Props.apply(prefix + "methods", scope.methods(), () -> builder.methods(scope.methods()));
        Props.apply(prefix + "key", scope.key(), () -> builder.key(RateLimitKey.parse(scope.key())));
        Props.apply(prefix + "cost", scope.cost(), () -> builder.cost(scope.cost()));
        return Props.bind(prefix + "cost", scope.cost(), builder::build);
    }

    /** The two filters; both back off when the application registers its own rate-limit filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = RateLimitFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    static class FilterConfiguration {

        @Bean
        FilterRegistrationBean<RateLimitFilter> bulwarkRateLimitFilter(RateLimiter limiter) {
            return registration(
                    "bulwarkRateLimit", limiter, RateLimiter.Stage.BEFORE_AUTHENTICATION, FilterOrder.RATE_LIMIT);
        }

        @Bean
        FilterRegistrationBean<RateLimitFilter> bulwarkRateLimitAuthenticatedFilter(RateLimiter limiter) {
            return registration(
                    "bulwarkRateLimitAuthenticated",
                    limiter,
                    RateLimiter.Stage.AFTER_AUTHENTICATION,
                    FilterOrder.AFTER_AUTHENTICATION);
        }
    }

    private static FilterRegistrationBean<RateLimitFilter> registration(
            String name, RateLimiter limiter, RateLimiter.Stage stage, int order) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limiter, stage));
        registration.setName(name);
        registration.setOrder(order);
        registration.setAsyncSupported(true);
        // a stage without policies is not installed at all: no cost per request
        registration.setEnabled(limiter.hasPolicies(stage));
        return registration;
    }

    /** Publishes decisions to Micrometer when it is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        RateLimitMetricsBinder bulwarkRateLimitMetrics(
                ObjectProvider<MeterRegistry> registries, ObjectProvider<RateLimiter> limiters) {
            return new RateLimitMetricsBinder(registries, limiters);
        }
    }

    /** Calls several listeners in order. */
    private record CompositeListener(List<RateLimitListener> listeners) implements RateLimitListener {
        @Override
        public void onAllowed(RateLimitPolicy policy, long cost) {
            for (RateLimitListener listener : listeners) {
                listener.onAllowed(policy, cost);
            }
        }

        @Override
        public void onRejected(RateLimitPolicy policy, long waitNanos, boolean dryRun) {
            for (RateLimitListener listener : listeners) {
                listener.onRejected(policy, waitNanos, dryRun);
            }
        }
    }
}
