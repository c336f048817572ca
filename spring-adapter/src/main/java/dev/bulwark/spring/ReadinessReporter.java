package dev.bulwark.spring;

import dev.bulwark.core.readiness.Readiness;
import dev.bulwark.core.readiness.ReadinessContext;
import dev.bulwark.core.readiness.ReadinessLevel;
import dev.bulwark.core.readiness.ReadinessReport;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs the readiness checks once every singleton exists, logs the report, and fails startup at the configured level;
 * optionally prints the report and the effective configuration and exits. Safe for concurrent use after startup.
 */
public final class ReadinessReporter implements SmartInitializingSingleton, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.readiness");

    private final Readiness readiness;
    private final ReadinessProperties properties;
    private final ConfigurableEnvironment environment;
    private final ListableBeanFactory beans;
    private final @Nullable ReadinessLevel failOn;
    private final boolean production;
    private IntConsumer exit = System::exit;
    private volatile @Nullable ReadinessReport last;

    ReadinessReporter(
            Readiness readiness,
            ReadinessProperties properties,
            ConfigurableEnvironment environment,
            ListableBeanFactory beans) {
        this.readiness = readiness;
        this.properties = properties;
        this.environment = environment;
        this.beans = beans;
        Set<String> active = Set.of(environment.getActiveProfiles());
        this.production = properties.productionProfiles().stream().anyMatch(active::contains);
        this.failOn = failOn(properties.failOn(), production);
    }

    private static @Nullable ReadinessLevel failOn(@Nullable String value, boolean production) {
        if (value == null || value.isBlank()) {
            return production ? ReadinessLevel.ERROR : null;
        }
        if (value.strip().equalsIgnoreCase("never")) {
            return null;
        }
        return Props.bind("bulwark.readiness.fail-on", value, () -> {
            ReadinessLevel level = ReadinessLevel.parse(value);
            if (level == ReadinessLevel.INFO) {
                throw new IllegalArgumentException("fail-on must be error, warning or never: 'info'");
            }
            return level;
        });
    }

    /** Returns the level at which startup fails, or {@code null} for never. */
    public @Nullable ReadinessLevel failOn() {
        return failOn;
    }

    /** Returns whether a production profile is active. */
    public boolean production() {
        return production;
    }

    /** Runs the checks now against the current beans and returns the report. */
    public ReadinessReport report() {
        ReadinessContext context = ReadinessContext.builder()
                .profiles(Arrays.asList(environment.getActiveProfiles()))
                .production(production)
                .tls(environment.getProperty("server.ssl.enabled", Boolean.class, false)
                        || environment.getProperty("server.ssl.bundle") != null)
                .lookup(this::lookup)
                .build();
        ReadinessReport report = readiness.run(context);
        last = report;
        return report;
    }

    /** Finds a component: a unique bean of the type, else a filter of the type inside a registration bean. */
    private @Nullable Object lookup(Class<?> type) {
        Object bean = beans.getBeanProvider(type).getIfUnique();
        if (bean != null) {
            return bean;
        }
        for (FilterRegistrationBean<?> registration :
                beans.getBeansOfType(FilterRegistrationBean.class).values()) {
            if (type.isInstance(registration.getFilter())) {
                return registration.getFilter();
            }
        }
        return null;
    }

    /** Returns the effective {@code bulwark.*} configuration, secrets masked. */
    public java.util.Map<String, String> configuration() {
        return EffectiveConfiguration.of(environment);
    }

    @Override
    public void afterSingletonsInstantiated() {
        ReadinessReport report = report();
        if (report.findings().isEmpty()) {
            LOG.info("Bulwark production readiness: no findings (fail-on {})", failOn == null ? "never" : failOn);
        } else if (report.reaches(ReadinessLevel.WARNING)) {
            LOG.warn("{}", report.render());
        } else {
            LOG.info("{}", report.render());
        }
        if (failOn != null && !properties.reportAndExit()) {
            report.failOn(failOn);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!properties.reportAndExit()) {
            return;
        }
        ReadinessReport report = report();
        System.out.println(report.render());
        System.out.println(EffectiveConfiguration.render(configuration()));
        int status = report.reaches(failOn == null ? ReadinessLevel.ERROR : failOn) ? 1 : 0;
        ConfigurableApplicationContext context = event.getApplicationContext();
        exit.accept(SpringApplication.exit(context, () -> status));
    }

    /** Replaces {@code System.exit}, for tests. */
    void exitWith(IntConsumer exit) {
        this.exit = exit;
    }

    /** Returns the last report, if one ran. */
    @Nullable
    ReadinessReport last() {
        return last;
    }

    /** Returns the silenced ids. */
    List<String> silenced() {
        return properties.silenced();
    }
}
