package dev.bulwark.spring;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.client.TrustedProxies;
import dev.bulwark.core.readiness.RuntimeFindings;
import dev.bulwark.servlet.ClientIdentityFilter;
import dev.bulwark.servlet.FilterOrder;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Client identity behind trusted proxies: a {@link ClientAddressResolver} from {@code bulwark.client.*} and the
 * {@link ClientIdentityFilter}, first in Bulwark's {@linkplain FilterOrder order}. Both back off when the application
 * defines its own.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "bulwark.client", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClientProperties.class)
public class BulwarkClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ClientAddressResolver bulwarkClientAddressResolver(
            ClientProperties properties, ObjectProvider<ClientAddressResolverCustomizer> customizers) {
        ClientAddressResolver.Builder builder = ClientAddressResolver.builder();
        Props.apply(
                "bulwark.client.trusted-proxies",
                properties.trustedProxies(),
                () -> builder.trustedProxies(TrustedProxies.of(properties.trustedProxies())));
        Props.apply("bulwark.client.max-hops", properties.maxHops(), () -> builder.maxHops(properties.maxHops()));
        builder.useForwardedHeader(properties.useForwardedHeader());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** Collects readiness findings seen while serving (forwarded headers with no trusted proxy, …). */
    @Bean
    @ConditionalOnMissingBean
    RuntimeFindings bulwarkRuntimeFindings() {
        return new RuntimeFindings();
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = ClientIdentityFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    FilterRegistrationBean<ClientIdentityFilter> bulwarkClientIdentityFilter(
            ClientAddressResolver resolver, ObjectProvider<RuntimeFindings> findings) {
        FilterRegistrationBean<ClientIdentityFilter> registration =
                new FilterRegistrationBean<>(new ClientIdentityFilter(resolver, findings.getIfUnique()));
        registration.setName("bulwarkClientIdentity");
        registration.setOrder(FilterOrder.CLIENT_IDENTITY);
        registration.setDispatcherTypes(
                DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.FORWARD, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        return registration;
    }
}
