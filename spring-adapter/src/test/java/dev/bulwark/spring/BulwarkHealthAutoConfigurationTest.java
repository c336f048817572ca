package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.health.GracefulShutdown;
import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthFormat;
import dev.bulwark.core.health.HealthLifecycle;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.health.StartupGate;
import dev.bulwark.core.health.StartupGateException;
import dev.bulwark.core.health.Status;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.HealthFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

class BulwarkHealthAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(BulwarkClientAutoConfiguration.class, BulwarkHealthAutoConfiguration.class));

    private static void ready(ConfigurableApplicationContext context) {
        context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context, Duration.ZERO));
    }

    @SuppressWarnings("unchecked")
    private static HealthFilter filter(AssertableWebApplicationContext context) {
        return ((FilterRegistrationBean<HealthFilter>)
                        context.getBean("bulwarkHealthFilter", FilterRegistrationBean.class))
                .getFilter();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void defaultsServeTheEndpointsBeforeSpringSecurityAndMatchCore() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.probes()).isEmpty();
            assertThat(registry.groups()).containsExactly("liveness", "readiness", "startup");

            FilterRegistrationBean<?> registration =
                    context.getBean("bulwarkHealthFilter", FilterRegistrationBean.class);
            assertThat(registration.getOrder())
                    .isEqualTo(FilterOrder.HEALTH)
                    .isLessThan(FilterOrder.SPRING_SECURITY)
                    .isLessThan(FilterOrder.RATE_LIMIT);
            assertThat(registration.isAsyncSupported()).isTrue();
            HealthFilter filter = filter(context);
            HealthFilter core = HealthFilter.of(registry);
            assertThat(filter.basePath()).isEqualTo(core.basePath()).isEqualTo("/health");
            assertThat(filter.format()).isEqualTo(core.format()).isEqualTo(HealthFormat.HEALTH_JSON);
            assertThat(filter.details()).isEqualTo(core.details()).isEqualTo(HealthDetails.NEVER);

            GracefulShutdown shutdown = context.getBean(GracefulShutdown.class);
            GracefulShutdown coreShutdown =
                    GracefulShutdown.builder(registry.lifecycle()).build();
            assertThat(shutdown.drainDelay())
                    .isEqualTo(coreShutdown.drainDelay())
                    .isZero();
            assertThat(shutdown.gracefulTimeout())
                    .isEqualTo(coreShutdown.gracefulTimeout())
                    .isEqualTo(Duration.ofSeconds(30));

            HealthProperties properties = context.getBean(HealthProperties.class);
            assertThat(properties.cacheTtl()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.groupDeadline())
                    .isEqualTo(Duration.ofMillis(HealthRegistry.DEFAULT_GROUP_DEADLINE_MILLIS));
            assertThat(properties.datasource().timeout())
                    .isEqualTo(properties.redis().timeout())
                    .isEqualTo(Duration.ofMillis(HealthProbe.DEFAULT_TIMEOUT_MILLIS));
            assertThat(properties.datasource().groups()).containsExactly(HealthRegistry.READINESS);
            HealthRegistry one = HealthRegistry.builder()
                    .probe(HealthProbe.builder("x", t -> ProbeResult.up()).build())
                    .build();
            HealthProperties.Gate gate = properties.startupGate();
            StartupGate fromProperties = StartupGate.builder(one)
                    .waitFor("x")
                    .initialDelay(gate.initialDelay())
                    .multiplier(gate.multiplier())
                    .maxDelay(gate.maxDelay())
                    .maxAttempts(gate.maxAttempts())
                    .deadline(gate.deadline())
                    .build();
            assertThat(fromProperties)
                    .hasToString(StartupGate.builder(one).waitFor("x").build().toString());
            one.close();
        });
    }

    @Test
    void readinessWaitsForApplicationReadyAndShutdownDrainsBeforeTheWebServerStops() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.DOWN);
            assertThat(registry.evaluate(HealthRegistry.STARTUP).status()).isEqualTo(Status.DOWN);
            assertThat(registry.evaluate(HealthRegistry.LIVENESS).status()).isEqualTo(Status.UP);
            ready(context);
            assertThat(registry.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.UP);

            SmartLifecycle lifecycle = context.getBean(HealthLifecycleBridge.class);
            assertThat(lifecycle.isRunning()).isTrue();
            // Spring Boot 3.5 and 4.0: WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
            assertThat(lifecycle.getPhase()).isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 1024);
            context.close();
            assertThat(registry.lifecycle().state()).isEqualTo(HealthLifecycle.State.STOPPED);
        });
    }

    @Test
    void propertiesAreBound() {
        runner.withPropertyValues(
                        "bulwark.health.path=/internal/health",
                        "bulwark.health.format=minimal",
                        "bulwark.health.details=when-authorized",
                        "bulwark.health.authorized-networks=10.0.0.0/8",
                        "bulwark.health.cache-ttl=0s",
                        "bulwark.health.group-deadline=2s",
                        "bulwark.health.drain-delay=7s",
                        "bulwark.health.graceful-timeout=12s",
                        "bulwark.health.probes.postgres.type=tcp",
                        "bulwark.health.probes.postgres.target=127.0.0.1:1",
                        "bulwark.health.probes.postgres.timeout=200ms",
                        "bulwark.health.probes.postgres.groups=readiness,startup",
                        "bulwark.health.probes.disk.type=disk",
                        "bulwark.health.probes.disk.target=" + System.getProperty("java.io.tmpdir"),
                        "bulwark.health.probes.disk.critical=false",
                        "bulwark.health.probes.search.type=http",
                        "bulwark.health.probes.search.target=http://127.0.0.1:1/health",
                        "bulwark.health.probes.search.groups=deps")
                .run(context -> {
                    HealthFilter filter = filter(context);
                    assertThat(filter.basePath()).isEqualTo("/internal/health");
                    assertThat(filter.format()).isEqualTo(HealthFormat.MINIMAL);
                    assertThat(filter.details()).isEqualTo(HealthDetails.WHEN_AUTHORIZED);
                    GracefulShutdown shutdown = context.getBean(GracefulShutdown.class);
                    assertThat(shutdown.drainDelay()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(shutdown.gracefulTimeout()).isEqualTo(Duration.ofSeconds(12));

                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(registry.probes())
                            .extracting(HealthProbe::name)
                            .containsExactly("postgres", "disk", "search");
                    HealthProbe postgres = registry.probes().get(0);
                    assertThat(postgres.timeout()).isEqualTo(Duration.ofMillis(200));
                    assertThat(postgres.groups()).containsExactlyInAnyOrder("readiness", "startup");
                    assertThat(registry.probes().get(1).critical()).isFalse();
                    assertThat(registry.groups()).contains("deps");
                    assertThat(registry.groupForPath("deps")).hasValue("deps");

                    // not marked ready (closing would then wait the 7 s drain delay): probes are still checked
                    GroupResult readiness = registry.evaluate(HealthRegistry.READINESS);
                    assertThat(readiness.status()).isEqualTo(Status.DOWN);
                    assertThat(readiness.checks().get("postgres").status()).isEqualTo(Status.DOWN);
                    assertThat(readiness.checks().get("disk").status()).isEqualTo(Status.UP);
                });
    }

    @Test
    void drainDelayDefaultsToFiveSecondsOnKubernetes() {
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes").run(context -> assertThat(
                        context.getBean(GracefulShutdown.class).drainDelay())
                .isEqualTo(HealthProperties.KUBERNETES_DRAIN_DELAY)
                .isEqualTo(Duration.ofSeconds(5)));
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes", "bulwark.health.drain-delay=0s")
                .run(context -> assertThat(
                                context.getBean(GracefulShutdown.class).drainDelay())
                        .isZero());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.health.probes.x.type=ftp | bulwark.health.probes.x.type",
                "bulwark.health.probes.x.type=tcp | bulwark.health.probes.x.target",
                "bulwark.health.probes.x.target=localhost:5432 | bulwark.health.probes.x.type",
                "bulwark.health.path=health | bulwark.health.path",
                "bulwark.health.path=/health/** | bulwark.health.path",
                "bulwark.health.cache-ttl=-1s | bulwark.health.cache-ttl",
                "bulwark.health.group-deadline=0s | bulwark.health.group-deadline",
                "bulwark.health.max-threads=0 | bulwark.health.max-threads",
                "bulwark.health.failure-threshold=0 | bulwark.health.failure-threshold",
                "bulwark.health.drain-delay=-1s | bulwark.health.drain-delay",
                "bulwark.health.graceful-timeout=2h | bulwark.health.graceful-timeout",
                "bulwark.health.authorized-networks=office | bulwark.health.authorized-networks",
                "bulwark.health.background-refresh=1ms | bulwark.health.background-refresh",
            })
    void invalidValuesFailStartupNamingTheProperty(String property, String name) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
            assertThat(((InvalidBulwarkPropertyException) failure).property()).isEqualTo(name);
        });
    }

    @Test
    void dataSourceBeansGetAJdbcProbeUnlessReplacedOrOff() {
        runner.withUserConfiguration(OneDataSource.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.probes()).extracting(HealthProbe::name).containsExactly("db");
            assertThat(registry.checkNow("db").status()).isEqualTo(Status.UP);
        });
        runner.withUserConfiguration(TwoDataSources.class)
                .run(context -> assertThat(context.getBean(HealthRegistry.class).probes())
                        .extracting(HealthProbe::name)
                        .containsExactly("primaryDataSource", "reportingDataSource"));
        runner.withUserConfiguration(OneDataSource.class)
                .withPropertyValues("bulwark.health.datasource.enabled=false")
                .run(context -> assertThat(context.getBean(HealthRegistry.class).probes())
                        .isEmpty());
        runner.withUserConfiguration(OneDataSource.class, UserProbe.class)
                .withPropertyValues(
                        "bulwark.health.datasource.timeout=250ms", "bulwark.health.datasource.critical=false")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(registry.probes()).extracting(HealthProbe::name).containsExactly("db", "queue");
                    // the application's bean named db replaces the automatic one
                    assertThat(registry.probes().get(0)).isSameAs(UserProbe.DB);
                });
    }

    @Test
    void redisConnectionBeanGetsAProbeFromSpringDataRedisProperties() throws Exception {
        int closed = freePort();
        runner.withUserConfiguration(RedisBean.class)
                .withPropertyValues(
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + closed,
                        "bulwark.health.redis.timeout=300ms")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(registry.probes()).extracting(HealthProbe::name).containsExactly("redis");
                    assertThat(registry.probes().get(0).timeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(registry.checkNow("redis").status()).isEqualTo(Status.DOWN);
                });
        runner.run(context ->
                assertThat(context.getBean(HealthRegistry.class).probes()).isEmpty());
        runner.withUserConfiguration(RedisBean.class)
                .withPropertyValues("bulwark.health.redis.enabled=false")
                .run(context -> assertThat(context.getBean(HealthRegistry.class).probes())
                        .isEmpty());
    }

    @Test
    void redisUriCarriesCredentialsEncodedAndTls() {
        org.springframework.mock.env.MockEnvironment env = new org.springframework.mock.env.MockEnvironment()
                .withProperty("spring.data.redis.host", "cache.internal")
                .withProperty("spring.data.redis.port", "6380")
                .withProperty("spring.data.redis.username", "app")
                .withProperty("spring.data.redis.password", "p@ss:w/rd")
                .withProperty("spring.data.redis.database", "2")
                .withProperty("spring.data.redis.ssl.enabled", "true");
        assertThat(HealthAutoProbes.redisUri(env)).isEqualTo("rediss://app:p%40ss%3Aw%2Frd@cache.internal:6380/2");
        assertThat(HealthAutoProbes.redisUri(new org.springframework.mock.env.MockEnvironment()))
                .isEqualTo("redis://localhost:6379/0");
        assertThat(HealthAutoProbes.redisUri(new org.springframework.mock.env.MockEnvironment()
                        .withProperty("spring.data.redis.url", "redis://:secret@r:6379")))
                .isEqualTo("redis://:secret@r:6379");
    }

    @Test
    void startupGateWaitsForADeclaredProbeBeforeTheDataSourceIsCreated() throws Exception {
        int port = freePort();
        AtomicLong openedAt = new AtomicLong();
        CompletableFuture<ServerSocket> server = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(600);
                ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                openedAt.set(System.nanoTime());
                return socket;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(BulwarkHealthAutoConfiguration.class))
                    .withUserConfiguration(OneDataSource.class, Migrations.class)
                    .withPropertyValues(
                            "bulwark.health.probes.postgres.type=tcp",
                            "bulwark.health.probes.postgres.target=127.0.0.1:" + port,
                            "bulwark.health.probes.postgres.timeout=200ms",
                            "bulwark.health.startup-gate.wait-for=postgres",
                            "bulwark.health.startup-gate.initial-delay=50ms",
                            "bulwark.health.startup-gate.max-delay=100ms")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        FakeDataSource dataSource = context.getBean(FakeDataSource.class);
                        assertThat(openedAt.get()).isPositive();
                        assertThat(dataSource.createdNanos).isGreaterThan(openedAt.get());
                        assertThat(context.getBean(Migrations.class).ranNanos).isGreaterThan(dataSource.createdNanos);
                    });
        } finally {
            server.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void startupGateWaitsForTheDataSourceItselfBeforeFlywayGetsIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BulwarkHealthAutoConfiguration.class))
                .withUserConfiguration(FlakyDataSource.class, Migrations.class)
                .withPropertyValues(
                        "bulwark.health.startup-gate.wait-for=db",
                        "bulwark.health.startup-gate.initial-delay=10ms",
                        "bulwark.health.startup-gate.max-delay=20ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FakeDataSource dataSource = context.getBean(FakeDataSource.class);
                    // two refused connections, then the valid one, all before the migrations got the data source
                    assertThat(context.getBean(Migrations.class).connectionsSeen)
                            .isEqualTo(3);
                    assertThat(dataSource.connections.get()).isGreaterThanOrEqualTo(3);
                });
    }

    @Test
    void startupGateFailsStartupNamingTheDependency() throws Exception {
        int closed = freePort();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BulwarkHealthAutoConfiguration.class))
                .withUserConfiguration(OneDataSource.class)
                .withPropertyValues(
                        "bulwark.health.probes.postgres.type=tcp",
                        "bulwark.health.probes.postgres.target=127.0.0.1:" + closed,
                        "bulwark.health.startup-gate.wait-for=postgres",
                        "bulwark.health.startup-gate.initial-delay=10ms",
                        "bulwark.health.startup-gate.max-delay=10ms",
                        "bulwark.health.startup-gate.max-attempts=2")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof StartupGateException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure)
                            .isInstanceOf(StartupGateException.class)
                            .hasMessageStartingWith("postgres is not available after 2 attempts");
                    assertThat(((StartupGateException) failure).dependency()).isEqualTo("postgres");
                });
        // without a data source the gate runs before the web server starts, for probe beans too
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BulwarkHealthAutoConfiguration.class))
                .withUserConfiguration(UserProbe.class)
                .withPropertyValues(
                        "bulwark.health.startup-gate.wait-for=queue",
                        "bulwark.health.startup-gate.initial-delay=10ms",
                        "bulwark.health.startup-gate.max-delay=10ms",
                        "bulwark.health.startup-gate.max-attempts=2")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("queue is not available after 2 attempts"));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BulwarkHealthAutoConfiguration.class))
                .withPropertyValues("bulwark.health.startup-gate.wait-for=nothing")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("invalid value for bulwark.health.startup-gate.wait-for"));
    }

    @Test
    void resultsArePublishedToMicrometerAndListenerBeans() {
        runner.withUserConfiguration(Registry.class, UserProbe.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            ready(context);
            registry.evaluate(HealthRegistry.READINESS);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("bulwark.health.group.status")
                            .tag("group", "readiness")
                            .gauge()
                            .value())
                    .isEqualTo(0.5);
            assertThat(meters.get("bulwark.health.probe.status")
                            .tag("probe", "queue")
                            .gauge()
                            .value())
                    .isEqualTo(0.0);
            assertThat(meters.get("bulwark.health.probe.duration")
                            .tag("probe", "queue")
                            .timer()
                            .count())
                    .isEqualTo(1);
        });
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(HealthMetricsBinder.class);
        });
    }

    @Test
    void userBeansReplaceOursAndEverythingCanBeSwitchedOff() {
        runner.withUserConfiguration(UserRegistry.class)
                .run(context ->
                        assertThat(context.getBean(HealthRegistry.class)).isSameAs(UserRegistry.REGISTRY));
        runner.withPropertyValues("bulwark.health.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(HealthRegistry.class);
            assertThat(context).doesNotHaveBean("bulwarkHealthFilter");
            assertThat(context).doesNotHaveBean(StartupGatePostProcessor.class);
            assertThat(context).doesNotHaveBean(ActuatorHealthIndicator.BEAN_NAME);
        });
    }

    @Test
    void actuatorShowsBulwarkProbesOnThisSpringBootLine() throws Exception {
        String api = ClassUtils.isPresent(ActuatorHealthIndicator.BOOT_4 + ".HealthIndicator", null)
                ? ActuatorHealthIndicator.BOOT_4
                : ActuatorHealthIndicator.BOOT_3;
        Class<?> indicatorType = ClassUtils.forName(api + ".HealthIndicator", null);
        runner.withUserConfiguration(UserProbe.class, OneDataSource.class).run(context -> {
            // found by type before creation, as Actuator looks it up
            assertThat(context.getBeanNamesForType(indicatorType)).contains(ActuatorHealthIndicator.BEAN_NAME);
            Object indicator = context.getBean(ActuatorHealthIndicator.BEAN_NAME);
            Object health = indicatorType.getMethod("health").invoke(indicator);
            // the non-critical queue probe is down: still UP, the details show it down and not critical
            assertThat(code(health)).isEqualTo("UP");
            Map<?, ?> details =
                    (Map<?, ?>) health.getClass().getMethod("getDetails").invoke(health);
            assertThat(details.keySet()).extracting(Object::toString).containsExactly("db", "queue");
            @SuppressWarnings("unchecked")
            Map<String, Object> queue = (Map<String, Object>) details.get("queue");
            assertThat(queue)
                    .containsEntry("status", "DOWN")
                    .containsEntry("critical", false)
                    .containsEntry("error", "queue closed");
            assertThat(indicator).hasToString("BulwarkHealthIndicator");
        });
        runner.withUserConfiguration(CriticalDown.class).run(context -> {
            Object indicator = context.getBean(ActuatorHealthIndicator.BEAN_NAME);
            Object health = indicatorType.getMethod("health").invoke(indicator);
            assertThat(code(health)).isEqualTo("DOWN");
        });
        runner.withPropertyValues("management.health.bulwark.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ActuatorHealthIndicator.BEAN_NAME));
    }

    @Test
    void actuatorHealthEndpointListsBulwark() {
        boolean boot4 = ClassUtils.isPresent(ActuatorHealthIndicator.BOOT_4 + ".HealthIndicator", null);
        List<String> names = boot4
                ? List.of(
                        "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
                        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration",
                        "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
                        "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")
                : List.of(
                        "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
                        "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration",
                        "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration");
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            classes.add(ClassUtils.resolveClassName(name, null));
        }
        String endpointType = boot4
                ? "org.springframework.boot.health.actuate.endpoint.HealthEndpoint"
                : "org.springframework.boot.actuate.health.HealthEndpoint";
        runner.withConfiguration(AutoConfigurations.of(classes.toArray(Class<?>[]::new)))
                .withUserConfiguration(CriticalDown.class)
                .withPropertyValues("management.endpoint.health.show-details=always")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Object endpoint = context.getBean(ClassUtils.resolveClassName(endpointType, null));
                    Method forPath = endpoint.getClass().getMethod("healthForPath", String[].class);
                    Object bulwark = forPath.invoke(endpoint, (Object) new String[] {"bulwark"});
                    assertThat(code(bulwark)).isEqualTo("DOWN");
                    Object overall = endpoint.getClass().getMethod("health").invoke(endpoint);
                    assertThat(code(overall)).isEqualTo("DOWN");
                });
    }

    private static String code(Object health) throws Exception {
        Object status = health.getClass().getMethod("getStatus").invoke(health);
        return (String) status.getClass().getMethod("getCode").invoke(status);
    }

    @Configuration(proxyBeanMethods = false)
    static class OneDataSource {
        @Bean
        FakeDataSource dataSource() {
            return new FakeDataSource(0);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FlakyDataSource {
        @Bean
        FakeDataSource dataSource() {
            return new FakeDataSource(2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean
        DataSource primaryDataSource() {
            return new FakeDataSource(0);
        }

        @Bean
        DataSource reportingDataSource() {
            return new FakeDataSource(0);
        }
    }

    /** Stands in for Flyway: uses the data source as soon as it gets it. */
    static class Migrations {
        final long ranNanos;
        final int connectionsSeen;

        Migrations(FakeDataSource dataSource) {
            this.connectionsSeen = dataSource.connections.get();
            this.ranNanos = System.nanoTime();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserProbe {
        static final HealthProbe DB =
                HealthProbe.builder("db", t -> ProbeResult.up()).build();

        @Bean
        HealthProbe db() {
            return DB;
        }

        @Bean
        HealthProbe queue() {
            return HealthProbe.builder("queue", t -> ProbeResult.down("closed").withError("queue closed"))
                    .critical(false)
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CriticalDown {
        @Bean
        HealthProbe broker() {
            return HealthProbe.builder("broker", t -> ProbeResult.down("unreachable"))
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RedisBean {
        @Bean
        RedisConnectionFactory redisConnectionFactory() {
            return (RedisConnectionFactory) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {RedisConnectionFactory.class}, (p, m, a) -> {
                        if ("toString".equals(m.getName())) {
                            return "FakeRedisConnectionFactory";
                        }
                        // only the bean's presence matters; connecting through it would be a bug in the probe wiring
                        throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistry {
        static final HealthRegistry REGISTRY = HealthRegistry.builder().build();

        @Bean
        HealthRegistry myHealth() {
            return REGISTRY;
        }
    }
}
