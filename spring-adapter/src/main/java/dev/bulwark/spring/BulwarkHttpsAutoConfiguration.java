package dev.bulwark.spring;

import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.HttpsRedirectFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * HTTPS redirect, active when {@code bulwark.https.redirect=true}: an {@link HttpsRedirect} from {@code
 * bulwark.https.*} and the {@link HttpsRedirectFilter}, right after client identity. Both back off when the
 * application defines its own.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.https", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HttpsProperties.class)
public class BulwarkHttpsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "bulwark.https", name = "redirect", havingValue = "true")
    HttpsRedirect bulwarkHttpsRedirect(
            HttpsProperties properties, ObjectProvider<HttpsRedirectCustomizer> customizers) {
        HttpsRedirect.Builder builder = HttpsRedirect.builder();
        Props.apply(
                "bulwark.https.exempt-paths",
                properties.exemptPaths(),
                () -> builder.exemptPaths(properties.exemptPaths()));
        Props.apply(
                "bulwark.https.canonical-host",
                properties.canonicalHost(),
                () -> builder.canonicalHost(properties.canonicalHost()));
        Props.apply("bulwark.https.port", properties.port(), () -> builder.httpsPort(properties.port()));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = HttpsRedirectFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnBean(HttpsRedirect.class)
    FilterRegistrationBean<HttpsRedirectFilter> bulwarkHttpsRedirectFilter(HttpsRedirect redirect) {
        FilterRegistrationBean<HttpsRedirectFilter> registration =
                new FilterRegistrationBean<>(new HttpsRedirectFilter(redirect));
        registration.setName("bulwarkHttpsRedirect");
        registration.setOrder(FilterOrder.HTTPS_REDIRECT);
        registration.setAsyncSupported(true);
        return registration;
    }
}
