package dev.bulwark.spring;

import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.SecureCookiesFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;

/**
 * Cookie hardening: a {@link CookiePolicy} from {@code bulwark.cookies.*} and the {@link SecureCookiesFilter}. Both
 * back off when the application defines its own.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.cookies", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CookiesProperties.class)
public class BulwarkCookiesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CookiePolicy bulwarkCookiePolicy(CookiesProperties properties, ObjectProvider<CookiePolicyCustomizer> customizers) {
        CookiePolicy.Builder builder = CookiePolicy.builder()
                .secure(properties.secure())
                .httpOnly(properties.httpOnly())
                .allCookies(properties.allCookies())
                .sameSite(Props.headerEnum(
                        "bulwark.cookies.same-site", properties.sameSite(), CookiePolicy.SameSite.class));
        Props.apply("bulwark.cookies.names", properties.names(), () -> builder.cookieNames(properties.names()));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return Props.bind(
                "bulwark.cookies.same-site",
                properties.sameSite() + " (secure=" + properties.secure().name().toLowerCase(java.util.Locale.ROOT)
                        + ")",
                builder::build);
    }

    /** Hardens the container's session cookie configuration too (see {@link SecureCookiesFilter}). */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    ServletContextInitializer bulwarkSessionCookieInitializer(CookiePolicy policy) {
        return context -> SecureCookiesFilter.configureSessionCookie(context, policy);
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = SecureCookiesFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    FilterRegistrationBean<SecureCookiesFilter> bulwarkSecureCookiesFilter(CookiePolicy policy) {
        FilterRegistrationBean<SecureCookiesFilter> registration =
                new FilterRegistrationBean<>(new SecureCookiesFilter(policy));
        registration.setName("bulwarkCookies");
        registration.setOrder(FilterOrder.COOKIES);
        registration.setAsyncSupported(true);
        return registration;
    }
}
