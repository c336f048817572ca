package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.servlet.ClientIdentityFilter;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.HttpsRedirectFilter;
import dev.bulwark.servlet.SecureCookiesFilter;
import dev.bulwark.servlet.SecurityHeadersFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class BulwarkAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BulwarkClientAutoConfiguration.class,
                    BulwarkHttpsAutoConfiguration.class,
                    BulwarkHeadersAutoConfiguration.class,
                    BulwarkCookiesAutoConfiguration.class));

    @SuppressWarnings("rawtypes")
    private static Map<String, FilterRegistrationBean> registrations(
            org.springframework.context.ApplicationContext context) {
        return context.getBeansOfType(FilterRegistrationBean.class);
    }

    @Test
    void defaultsRegisterClientHeadersAndCookiesInOrder() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ClientAddressResolver.class);
            assertThat(context).hasSingleBean(SecurityHeadersPolicy.class);
            assertThat(context).hasSingleBean(CookiePolicy.class);
            assertThat(context).doesNotHaveBean(HttpsRedirect.class);
            var regs = registrations(context);
            assertThat(regs)
                    .containsOnlyKeys(
                            "bulwarkClientIdentityFilter",
                            "bulwarkSecurityHeadersFilter",
                            "bulwarkSecureCookiesFilter");
            assertThat(regs.get("bulwarkClientIdentityFilter").getFilter()).isInstanceOf(ClientIdentityFilter.class);
            assertThat(regs.get("bulwarkClientIdentityFilter").getOrder()).isEqualTo(FilterOrder.CLIENT_IDENTITY);
            assertThat(regs.get("bulwarkSecurityHeadersFilter").getOrder())
                    .isEqualTo(FilterOrder.SECURITY_HEADERS)
                    .isLessThan(FilterOrder.SPRING_SECURITY);
            assertThat(regs.get("bulwarkSecureCookiesFilter").getFilter()).isInstanceOf(SecureCookiesFilter.class);
            assertThat(context.getBean(ClientAddressResolver.class)
                            .trustedProxies()
                            .isEmpty())
                    .isTrue();
        });
    }

    @Test
    void propertyDefaultsMatchCoreDefaults() {
        runner.run(context -> {
            SecurityHeadersPolicy policy = context.getBean(SecurityHeadersPolicy.class);
            assertThat(policy.headersFor("/", true))
                    .isEqualTo(SecurityHeadersPolicy.defaults().headersFor("/", true));
            assertThat(policy.headersFor("/", false))
                    .isEqualTo(SecurityHeadersPolicy.defaults().headersFor("/", false));
            CookiePolicy cookies = context.getBean(CookiePolicy.class);
            CookiePolicy core = CookiePolicy.defaults();
            assertThat(cookies.secure()).isEqualTo(core.secure());
            assertThat(cookies.httpOnly()).isEqualTo(core.httpOnly());
            assertThat(cookies.sameSite()).isEqualTo(core.sameSite());
            assertThat(cookies.allCookies()).isEqualTo(core.allCookies());
        });
        runner.withPropertyValues("bulwark.https.redirect=true")
                .run(context -> assertThat(context.getBean(HttpsRedirect.class).exemptPaths())
                        .isEqualTo(HttpsRedirect.defaults().exemptPaths()));
    }

    @Test
    void headerPropertiesAreBound() {
        runner.withPropertyValues(
                        "bulwark.headers.hsts.max-age=63072000",
                        "bulwark.headers.hsts.preload=true",
                        "bulwark.headers.frame-options=sameorigin",
                        "bulwark.headers.referrer-policy=no-referrer",
                        "bulwark.headers.cross-origin-opener-policy=disabled",
                        "bulwark.headers.cross-origin-resource-policy=same-site",
                        "bulwark.headers.xss-protection=false",
                        "bulwark.headers.content-security-policy=default-src 'self'",
                        "bulwark.headers.permissions-policy=camera=()",
                        "bulwark.headers.custom.X-Permitted-Cross-Domain-Policies=none",
                        "bulwark.headers.cache-control[0].path=/static/**",
                        "bulwark.headers.cache-control[0].value=public, max-age=60",
                        "bulwark.headers.default-cache-control=no-store",
                        "bulwark.headers.overrides[0].path=/embed/**",
                        "bulwark.headers.overrides[0].header=X-Frame-Options",
                        "bulwark.headers.overrides[0].value=disabled")
                .run(context -> {
                    SecurityHeadersPolicy policy = context.getBean(SecurityHeadersPolicy.class);
                    assertThat(policy.headersFor("/", true))
                            .containsEntry("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload")
                            .containsEntry("X-Frame-Options", "SAMEORIGIN")
                            .containsEntry("Referrer-Policy", "no-referrer")
                            .containsEntry("Cross-Origin-Resource-Policy", "same-site")
                            .containsEntry("Content-Security-Policy", "default-src 'self'")
                            .containsEntry("Permissions-Policy", "camera=()")
                            .containsEntry("X-Permitted-Cross-Domain-Policies", "none")
                            .containsEntry("Cache-Control", "no-store")
                            .doesNotContainKeys("Cross-Origin-Opener-Policy", "X-XSS-Protection");
                    assertThat(policy.headersFor("/static/a.css", true))
                            .containsEntry("Cache-Control", "public, max-age=60");
                    assertThat(policy.headersFor("/embed/x", true)).doesNotContainKey("X-Frame-Options");
                });
    }

    @Test
    void clientAndHttpsAndCookiePropertiesAreBound() {
        runner.withPropertyValues(
                        "bulwark.client.trusted-proxies=10.0.0.0/8, ::1",
                        "bulwark.https.redirect=true",
                        "bulwark.https.canonical-host=www.example.com",
                        "bulwark.cookies.secure=always",
                        "bulwark.cookies.same-site=none",
                        "bulwark.cookies.names=remember-me")
                .run(context -> {
                    assertThat(context.getBean(ClientAddressResolver.class)
                                    .trustedProxies()
                                    .entries())
                            .containsExactly("10.0.0.0/8", "::1/128");
                    assertThat(context.getBean(HttpsRedirect.class).canonicalHost())
                            .hasValue("www.example.com");
                    assertThat(registrations(context)
                                    .get("bulwarkHttpsRedirectFilter")
                                    .getFilter())
                            .isInstanceOf(HttpsRedirectFilter.class);
                    CookiePolicy cookies = context.getBean(CookiePolicy.class);
                    assertThat(cookies.sameSite()).isEqualTo(CookiePolicy.SameSite.NONE);
                    assertThat(cookies.cookieNames()).containsExactly("remember-me");
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.client.trusted-proxies=foo.example.com | bulwark.client.trusted-proxies",
                "bulwark.client.trusted-proxies=10.0.0.0/33 | bulwark.client.trusted-proxies",
                "bulwark.headers.frame-options=allow-from x | bulwark.headers.frame-options",
                "bulwark.headers.content-security-policy=default-src self | bulwark.headers.content-security-policy",
                "bulwark.headers.custom.X-Bad=a\\r\\nb | bulwark.headers.custom.X-Bad",
                "bulwark.cookies.same-site=none | bulwark.cookies.same-site",
                "bulwark.https.canonical-host=https://x | bulwark.https.canonical-host",
                "bulwark.headers.overrides[0].path=/embed/** | bulwark.headers.overrides[0].header",
                "bulwark.headers.cache-control[0].path=/static/** | bulwark.headers.cache-control[0].value",
            })
    void badValuesFailStartupNamingTheProperty(String property, String name) {
        runner.withPropertyValues(property.replace("\\r\\n", "\r\n"), "bulwark.https.redirect=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
                    assertThat(((InvalidBulwarkPropertyException) failure).property())
                            .isEqualTo(name);
                    assertThat(failure.getMessage()).startsWith("invalid value for " + name);
                });
    }

    @Test
    void hstsPreloadFailureExplainsTheFix() {
        runner.withPropertyValues("bulwark.headers.hsts.max-age=3600", "bulwark.headers.hsts.preload=true")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hsts preload requires a max-age of at least one year"));
    }

    @Test
    void userBeansReplaceOurs() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(SecurityHeadersPolicy.class);
            assertThat(context.getBean(SecurityHeadersPolicy.class).headersFor("/", false))
                    .containsEntry("X-Frame-Options", "SAMEORIGIN");
            assertThat(context).hasSingleBean(ClientAddressResolver.class);
            assertThat(context.getBean(ClientAddressResolver.class)).isSameAs(UserBeans.RESOLVER);
        });
    }

    @Test
    void userFilterRegistrationReplacesOurs() {
        runner.withUserConfiguration(UserFilter.class).run(context -> {
            assertThat(registrations(context))
                    .containsKey("myHeaders")
                    .doesNotContainKey("bulwarkSecurityHeadersFilter");
        });
    }

    @Test
    void customizersAreApplied() {
        runner.withUserConfiguration(Customizers.class).run(context -> assertThat(
                        context.getBean(SecurityHeadersPolicy.class).headersFor("/", false))
                .containsEntry("X-Frame-Options", "SAMEORIGIN")
                .containsEntry("X-Custom", "2"));
    }

    @ParameterizedTest
    @CsvSource({
        "bulwark.client.enabled, bulwarkClientIdentityFilter",
        "bulwark.headers.enabled, bulwarkSecurityHeadersFilter",
        "bulwark.cookies.enabled, bulwarkSecureCookiesFilter",
        "bulwark.https.enabled, bulwarkHttpsRedirectFilter"
    })
    void eachCapabilityCanBeSwitchedOff(String property, String bean) {
        runner.withPropertyValues(property + "=false", "bulwark.https.redirect=true")
                .run(context -> assertThat(registrations(context)).doesNotContainKey(bean));
    }

    @Test
    void sessionCookieConfigurationIsHardenedToo() {
        runner.run(context -> assertThat(context)
                .hasBean("bulwarkSessionCookieInitializer")
                .getBean("bulwarkSessionCookieInitializer")
                .isInstanceOf(org.springframework.boot.web.servlet.ServletContextInitializer.class));
    }

    @Test
    void worksWithoutSpringSecurityOnTheClasspath() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(context -> assertThat(registrations(context)).hasSize(3));
    }

    @Test
    void noFiltersOutsideAWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        BulwarkClientAutoConfiguration.class, BulwarkHeadersAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(SecurityHeadersPolicy.class);
                    assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        static final ClientAddressResolver RESOLVER = ClientAddressResolver.defaults();

        @Bean
        SecurityHeadersPolicy mySecurityHeaders() {
            return SecurityHeadersPolicy.builder()
                    .frameOptions(SecurityHeadersPolicy.FrameOptions.SAMEORIGIN)
                    .build();
        }

        @Bean
        ClientAddressResolver myResolver() {
            return RESOLVER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserFilter {
        @Bean
        FilterRegistrationBean<SecurityHeadersFilter> myHeaders() {
            return new FilterRegistrationBean<>(new SecurityHeadersFilter(SecurityHeadersPolicy.defaults()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        @Order(1)
        SecurityHeadersCustomizer first() {
            return b -> b.frameOptions(SecurityHeadersPolicy.FrameOptions.SAMEORIGIN)
                    .header("X-Custom", "1");
        }

        @Bean
        @Order(2)
        SecurityHeadersCustomizer second() {
            return b -> b.header("X-Custom", "2");
        }
    }
}
