package dev.bulwark.spring;

import static dev.bulwark.spring.Props.headerEnum;
import static dev.bulwark.spring.Props.isDisabled;

import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.PermissionsPolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy.CrossOriginEmbedderPolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy.CrossOriginOpenerPolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy.CrossOriginResourcePolicy;
import dev.bulwark.core.headers.SecurityHeadersPolicy.FrameOptions;
import dev.bulwark.core.headers.SecurityHeadersPolicy.ReferrerPolicy;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.SecurityHeadersFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
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
 * Security headers: a {@link SecurityHeadersPolicy} from {@code bulwark.headers.*} (then {@link
 * SecurityHeadersCustomizer} beans) and the {@link SecurityHeadersFilter}. Both back off when the application defines
 * its own.
 *
 * <p>With Spring Security on the classpath the two do not fight: Bulwark's filter runs before Spring Security's filter
 * chain and writes its headers first, and Spring Security's header writers skip headers that are already present, so
 * each header is sent once, with Bulwark's value. The one writer that does not skip ({@code X-Frame-Options}) is
 * switched off on every {@code HttpSecurity} while Bulwark sends that header; an application that configures {@code
 * frameOptions(..)} explicitly keeps its own. Headers Bulwark is configured not to send are left to Spring Security.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.headers", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HeadersProperties.class)
public class BulwarkHeadersAutoConfiguration {

    private static final String P = "bulwark.headers.";

    @Bean
    @ConditionalOnMissingBean
    SecurityHeadersPolicy bulwarkSecurityHeadersPolicy(
            HeadersProperties properties, ObjectProvider<SecurityHeadersCustomizer> customizers) {
        return Props.bind(P + "*", "", () -> build(properties, customizers));
    }

    static SecurityHeadersPolicy build(HeadersProperties p, ObjectProvider<SecurityHeadersCustomizer> customizers) {
        SecurityHeadersPolicy.Builder b = SecurityHeadersPolicy.builder();
        HeadersProperties.Hsts hsts = p.hsts();
        b.hsts(
                hsts.enabled()
                        ? Props.bind(
                                P + "hsts",
                                "max-age=" + hsts.maxAge().toSeconds() + ", include-subdomains="
                                        + hsts.includeSubdomains() + ", preload=" + hsts.preload(),
                                () -> new SecurityHeadersPolicy.Hsts(
                                        hsts.maxAge(), hsts.includeSubdomains(), hsts.preload()))
                        : null);
        b.contentTypeOptions(p.contentTypeOptions());
        b.frameOptions(headerEnum(P + "frame-options", p.frameOptions(), FrameOptions.class));
        b.referrerPolicy(headerEnum(P + "referrer-policy", p.referrerPolicy(), ReferrerPolicy.class));
        b.crossOriginOpenerPolicy(headerEnum(
                P + "cross-origin-opener-policy", p.crossOriginOpenerPolicy(), CrossOriginOpenerPolicy.class));
        b.crossOriginResourcePolicy(headerEnum(
                P + "cross-origin-resource-policy", p.crossOriginResourcePolicy(), CrossOriginResourcePolicy.class));
        b.crossOriginEmbedderPolicy(headerEnum(
                P + "cross-origin-embedder-policy", p.crossOriginEmbedderPolicy(), CrossOriginEmbedderPolicy.class));
        b.xssProtection(p.xssProtection());
        if (!isDisabled(p.permissionsPolicy())) {
            b.permissionsPolicy(Props.bind(
                    P + "permissions-policy",
                    p.permissionsPolicy(),
                    () -> PermissionsPolicy.parse(p.permissionsPolicy())));
        }
        if (!isDisabled(p.contentSecurityPolicy())) {
            b.contentSecurityPolicy(Props.bind(
                    P + "content-security-policy",
                    p.contentSecurityPolicy(),
                    () -> ContentSecurityPolicy.parse(p.contentSecurityPolicy())));
        }
        if (!isDisabled(p.contentSecurityPolicyReportOnly())) {
            b.contentSecurityPolicyReportOnly(Props.bind(
                    P + "content-security-policy-report-only",
                    p.contentSecurityPolicyReportOnly(),
                    () -> ContentSecurityPolicy.parse(p.contentSecurityPolicyReportOnly())));
        }
        p.custom().forEach((name, value) -> Props.apply(P + "custom." + name, value, () -> b.header(name, value)));
        for (int i = 0; i < p.cacheControl().size(); i++) {
            HeadersProperties.CacheRule rule = p.cacheControl().get(i);
            requirePresent(
                    P + "cache-control[" + i + "].path", rule.path(), "set the path pattern, such as /static/**");
            requirePresent(
                    P + "cache-control[" + i + "].value",
                    rule.value(),
                    "set the Cache-Control value, such as public, max-age=31536000, immutable");
            Props.apply(
                    P + "cache-control[" + i + "]",
                    rule.path() + " -> " + rule.value(),
                    () -> b.cacheControl(rule.path(), rule.value()));
        }
        if (!isDisabled(p.defaultCacheControl())) {
            Props.apply(
                    P + "default-cache-control",
                    p.defaultCacheControl(),
                    () -> b.defaultCacheControl(p.defaultCacheControl()));
        }
        Props.apply(
                P + "exempt-paths",
                p.exemptPaths(),
                () -> b.exempt(p.exemptPaths().toArray(new String[0])));
        for (int i = 0; i < p.overrides().size(); i++) {
            HeadersProperties.HeaderOverride o = p.overrides().get(i);
            requirePresent(P + "overrides[" + i + "].path", o.path(), "set the path pattern, such as /embed/**");
            requirePresent(
                    P + "overrides[" + i + "].header", o.header(), "set the header name, such as X-Frame-Options");
            requirePresent(
                    P + "overrides[" + i + "].value",
                    o.value(),
                    "set the value for these paths, or 'disabled' to remove the header there");
            Props.apply(
                    P + "overrides[" + i + "]",
                    o.path() + " " + o.header() + "=" + o.value(),
                    () -> b.override(o.path(), o.header(), isDisabled(o.value()) ? null : o.value()));
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    private static void requirePresent(String property, @Nullable String value, String fix) {
        if (value == null || value.isBlank()) {
            throw new InvalidBulwarkPropertyException(property, "", "missing; " + fix, new IllegalArgumentException());
        }
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(
            value = SecurityHeadersFilter.class,
            parameterizedContainer = FilterRegistrationBean.class)
    FilterRegistrationBean<SecurityHeadersFilter> bulwarkSecurityHeadersFilter(SecurityHeadersPolicy policy) {
        FilterRegistrationBean<SecurityHeadersFilter> registration =
                new FilterRegistrationBean<>(new SecurityHeadersFilter(policy));
        registration.setName("bulwarkSecurityHeaders");
        registration.setOrder(FilterOrder.SECURITY_HEADERS);
        registration.setAsyncSupported(true);
        return registration;
    }

    /** Keeps Spring Security's frame-options writer from replacing Bulwark's value. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
    static class SpringSecurityConfiguration {

        @Bean
        static BeanPostProcessor bulwarkSpringSecurityFrameOptionsPostProcessor(
                ObjectProvider<SecurityHeadersPolicy> policy) {
            return new SpringSecurityFrameOptionsPostProcessor(policy);
        }
    }
}
