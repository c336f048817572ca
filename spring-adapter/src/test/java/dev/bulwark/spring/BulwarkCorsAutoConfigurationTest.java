package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.cors.CorsDecision;
import dev.bulwark.servlet.CorsFilter;
import dev.bulwark.servlet.FilterOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BulwarkCorsAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(BulwarkClientAutoConfiguration.class, BulwarkCorsAutoConfiguration.class));

    @Test
    void filterIsOrderedBeforeSpringSecurityAndAllowsNothingByDefault() {
        runner.run(context -> {
            FilterRegistrationBean<?> registration = context.getBean("bulwarkCorsFilter", FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(CorsFilter.class);
            assertThat(registration.getOrder()).isLessThan(FilterOrder.SPRING_SECURITY);
            CorsDecision decision = context.getBean(Cors.class)
                    .evaluate(PreflightRequest.of("/api/x", "https://app.example.com", "GET"));
            assertThat(decision.outcome()).isEqualTo(CorsDecision.Outcome.NOT_APPLICABLE);
        });
    }

    @Test
    void defaultPolicyAndMappingsAreBound() {
        runner.withPropertyValues(
                        "bulwark.cors.allowed-origins=https://www.example.com",
                        "bulwark.cors.max-age=600s",
                        "bulwark.cors.mappings.api.paths=/api/**",
                        "bulwark.cors.mappings.api.allowed-origins=https://app.example.com",
                        "bulwark.cors.mappings.api.allowed-methods=GET,DELETE",
                        "bulwark.cors.mappings.api.allow-credentials=true")
                .run(context -> {
                    Cors cors = context.getBean(Cors.class);
                    CorsDecision api =
                            cors.evaluate(PreflightRequest.of("/api/x", "https://app.example.com", "DELETE"));
                    assertThat(api.outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_OK);
                    assertThat(api.header("Access-Control-Allow-Credentials")).isEqualTo("true");
                    CorsDecision site = cors.evaluate(PreflightRequest.of("/page", "https://www.example.com", "GET"));
                    assertThat(site.outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_OK);
                    assertThat(site.header("Access-Control-Max-Age")).isEqualTo("600");
                    CorsDecision wrong = cors.evaluate(PreflightRequest.of("/api/x", "https://www.example.com", "GET"));
                    assertThat(wrong.outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_REJECTED);
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.cors.allowed-origins=* | bulwark.cors.allow-credentials",
                "bulwark.cors.allowed-origins=https://*.co.uk | bulwark.cors.allowed-origins",
                "bulwark.cors.allowed-origins=null | bulwark.cors.allowed-origins",
                "bulwark.cors.allowed-origins=https://example.com/ | bulwark.cors.allowed-origins",
                "bulwark.cors.max-age=2d | bulwark.cors.max-age",
            })
    void invalidPoliciesFailStartupNamingTheProperty(String property, String name) {
        runner.withPropertyValues(
                        "bulwark.cors.allowed-origins=https://ok.example.com",
                        property,
                        "bulwark.cors.allow-credentials=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
                    assertThat(((InvalidBulwarkPropertyException) failure).property())
                            .isEqualTo(name);
                });
    }

    @Test
    void mappingsAreTriedByOrderNotByDeclaration() {
        runner.withPropertyValues(
                        "bulwark.cors.mappings.api.paths=/api/**",
                        "bulwark.cors.mappings.api.allowed-origins=https://app.example.com",
                        "bulwark.cors.mappings.api.order=2",
                        "bulwark.cors.mappings.public.paths=/api/public/**",
                        "bulwark.cors.mappings.public.allowed-origins=*",
                        "bulwark.cors.mappings.public.order=1")
                .run(context -> {
                    Cors cors = context.getBean(Cors.class);
                    assertThat(cors.mappingNames()).containsExactly("public", "api");
                    CorsDecision decision =
                            cors.evaluate(PreflightRequest.of("/api/public/x", "https://anyone.example.org", "GET"));
                    assertThat(decision.outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_OK);
                    assertThat(decision.mapping()).isEqualTo("public");
                });
    }

    @Test
    void mappingWithoutPathsFails() {
        runner.withPropertyValues("bulwark.cors.mappings.api.allowed-origins=https://app.example.com")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("invalid value for bulwark.cors.mappings.api.paths"));
    }

    @Test
    void userBeanReplacesOursAndCanBeSwitchedOff() {
        runner.withUserConfiguration(UserCors.class)
                .run(context -> assertThat(context.getBean(Cors.class)).isSameAs(UserCors.CORS));
        runner.withPropertyValues("bulwark.cors.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Cors.class);
            assertThat(context).doesNotHaveBean("bulwarkCorsFilter");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCors {
        static final Cors CORS = Cors.builder().build();

        @Bean
        Cors myCors() {
            return CORS;
        }
    }
}
