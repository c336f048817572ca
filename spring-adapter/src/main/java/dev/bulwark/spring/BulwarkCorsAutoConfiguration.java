package dev.bulwark.spring;

import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.cors.CorsPolicy;
import dev.bulwark.servlet.CorsFilter;
import dev.bulwark.servlet.FilterOrder;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * CORS: a {@link Cors} engine from {@code bulwark.cors.*} (then {@link CorsCustomizer} beans) and the {@link
 * CorsFilter}, ordered before Spring Security so that preflights are answered before authentication. Both back off
 * when the application defines its own. Invalid policies (for example {@code *} with credentials, or a wildcard on a
 * public suffix) fail startup naming the property.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.cors", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CorsProperties.class)
public class BulwarkCorsAutoConfiguration {

    private static final String P = "bulwark.cors.";

    @Bean
    @ConditionalOnMissingBean
    Cors bulwarkCors(CorsProperties properties, ObjectProvider<CorsCustomizer> customizers) {
        Cors.Builder builder = Cors.builder();
        Props.apply(
                P + "preflight-cache-size",
                properties.preflightCacheSize(),
                () -> builder.preflightCacheSize(properties.preflightCacheSize()));
        properties.mappings().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByValue(
                        java.util.Comparator.comparingInt(CorsProperties.Mapping::order)))
                .forEach(entry -> {
                    String name = entry.getKey();
                    CorsProperties.Mapping m = entry.getValue();
                    String prefix = P + "mappings." + name + ".";
                    if (m.paths().isEmpty()) {
                        throw new InvalidBulwarkPropertyException(
                                prefix + "paths",
                                "",
                                "missing; list the path patterns, such as /api/**",
                                new IllegalArgumentException());
                    }
                    CorsPolicy policy = policy(
                            prefix,
                            m.allowedOrigins(),
                            m.allowedOriginRegex(),
                            m.allowedMethods(),
                            m.allowedHeaders(),
                            m.exposedHeaders(),
                            m.allowCredentials(),
                            m.maxAge(),
                            m.allowPrivateNetwork(),
                            m.allowInsecureOrigins());
                    Props.apply(prefix + "paths", m.paths(), () -> builder.mapping(name, m.paths(), policy));
                });
        if (!properties.allowedOrigins().isEmpty() || properties.allowedOriginRegex() != null) {
            builder.defaultPolicy(policy(
                    P,
                    properties.allowedOrigins(),
                    properties.allowedOriginRegex(),
                    properties.allowedMethods(),
                    properties.allowedHeaders(),
                    properties.exposedHeaders(),
                    properties.allowCredentials(),
                    properties.maxAge(),
                    properties.allowPrivateNetwork(),
                    properties.allowInsecureOrigins()));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return Props.bind(P + "*", "", builder::build);
    }

    private static CorsPolicy policy(
            String prefix,
            List<String> origins,
            @Nullable String regex,
            List<String> methods,
            List<String> headers,
            List<String> exposed,
            boolean credentials,
            Duration maxAge,
            boolean privateNetwork,
            boolean insecureOrigins) {
        CorsPolicy.Builder b = CorsPolicy.builder()
                .allowInsecureOrigins(insecureOrigins)
                .allowPrivateNetwork(privateNetwork)
                .allowCredentials(credentials);
        Props.apply(prefix + "allowed-origins", origins, () -> b.allowedOrigins(origins));
        Props.apply(prefix + "allowed-origin-regex", regex, () -> b.allowedOriginRegex(regex));
        Props.apply(prefix + "allowed-methods", methods, () -> b.allowedMethods(methods));
        Props.apply(prefix + "allowed-headers", headers, () -> b.allowedHeaders(headers));
        Props.apply(prefix + "exposed-headers", exposed, () -> b.exposedHeaders(exposed));
        Props.apply(prefix + "max-age", maxAge.toSeconds() + "s", () -> b.maxAge(maxAge));
        return Props.bind(
                prefix + (credentials ? "allow-credentials" : "allowed-origins"),
                credentials ? "true (origins " + origins + ")" : origins,
                b::build);
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = CorsFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    FilterRegistrationBean<CorsFilter> bulwarkCorsFilter(Cors cors) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(cors));
        registration.setName("bulwarkCors");
        registration.setOrder(FilterOrder.CORS);
        registration.setAsyncSupported(true);
        return registration;
    }
}
