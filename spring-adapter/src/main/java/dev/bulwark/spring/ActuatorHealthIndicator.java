package dev.bulwark.spring;

import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.health.Status;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Shows Bulwark's probes in Spring Boot Actuator's {@code /actuator/health} as one {@code bulwark} indicator, on both
 * health APIs: Spring Boot 4's {@code org.springframework.boot.health.contributor} (module {@code spring-boot-health})
 * and Spring Boot 3's {@code org.springframework.boot.actuate.health} (module {@code spring-boot-actuator}).
 *
 * <p>The two APIs have the same shape (a functional {@code HealthIndicator} returning a {@code Health} built with
 * {@code Health.status(code).withDetails(map).build()}) but no common type, and neither exists on the other version's
 * class path, so the indicator is a {@link Proxy} of whichever interface is present and builds {@code Health} through
 * reflection: one code path for both versions, compiled against neither. The bean definition carries the interface
 * as its type, so Actuator finds it by type before it is created.
 *
 * <p>Each call evaluates the groups that have probes through {@link HealthRegistry#evaluate(String)}: cached for the
 * registry's TTL, shared with concurrent health requests, probes in parallel, bounded by the group deadline, so
 * Actuator never runs a Bulwark probe itself. The status is {@code DOWN} when a critical probe is down, else {@code UP}
 * (a failing non-critical probe leaves it {@code UP}; the details show the probe down and not critical). Details,
 * shown as Actuator's {@code show-details} allows, hold per probe its status, whether it is critical, its groups, its
 * response time and, when failed, its error and message. The application lifecycle (starting, draining) is not
 * included: Actuator has its own availability states. Safe for concurrent use.
 */
final class ActuatorHealthIndicator implements InvocationHandler {

    /** The bean name; Actuator names the contributor {@code bulwark} after it. */
    static final String BEAN_NAME = "bulwarkHealthIndicator";

    /** Spring Boot 4's health API package. */
    static final String BOOT_4 = "org.springframework.boot.health.contributor";

    /** Spring Boot 3's health API package. */
    static final String BOOT_3 = "org.springframework.boot.actuate.health";

    private final Supplier<HealthRegistry> registry;
    private final Method status;
    private final Method withDetails;
    private final Method build;

    private ActuatorHealthIndicator(Class<?> health, Supplier<HealthRegistry> registry) throws NoSuchMethodException {
        this.registry = registry;
        this.status = health.getMethod("status", String.class);
        Class<?> builder = status.getReturnType();
        this.withDetails = builder.getMethod("withDetails", Map.class);
        this.build = builder.getMethod("build");
    }

    /** Returns a {@code HealthIndicator} of the given API package, as a proxy. */
    static Object create(String apiPackage, ClassLoader loader, Supplier<HealthRegistry> registry) {
        Class<?> indicator = ClassUtils.resolveClassName(apiPackage + ".HealthIndicator", loader);
        Class<?> health = ClassUtils.resolveClassName(apiPackage + ".Health", loader);
        try {
            return Proxy.newProxyInstance(
                    loader, new Class<?>[] {indicator}, new ActuatorHealthIndicator(health, registry));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(
                    "unsupported Spring Boot health API in " + apiPackage + ": " + e.getMessage(), e);
        }
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "health":
                if (arity == 0) {
                    return health();
                }
                break;
            case "toString":
                if (arity == 0) {
                    return "BulwarkHealthIndicator";
                }
                break;
            case "hashCode":
                if (arity == 0) {
                    return System.identityHashCode(proxy);
                }
                break;
            case "equals":
                if (arity == 1 && args != null) {
                    return proxy == args[0];
                }
                break;
            default:
                break;
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        // Not a stub: the proxied HealthIndicator interfaces (Boot 4 and Boot 3.5) declare no other abstract method;
        // a future one must fail loudly rather than answer a made-up value.
        throw new UnsupportedOperationException(method.toString());
    }

    private Object health() throws Exception {
        Summary summary = summarize(registry.get());
        try {
            Object builder = status.invoke(null, summary.status() == Status.DOWN ? "DOWN" : "UP");
            return build.invoke(withDetails.invoke(builder, summary.details()));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * The aggregated state of every probe.
     *
     * @param status {@link Status#DOWN} when a critical probe is down, {@link Status#WARN} when another probe failed
     * @param details per probe name, its details map
     */
    record Summary(Status status, Map<String, Object> details) {}

    /** Evaluates every group that has probes (cached, parallel, bounded) and summarizes the probes. */
    static Summary summarize(HealthRegistry registry) {
        Set<String> groupsWithProbes = new HashSet<>();
        for (HealthProbe probe : registry.probes()) {
            groupsWithProbes.addAll(probe.groups());
        }
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        for (String group : registry.groups()) {
            if (groupsWithProbes.contains(group)) {
                GroupResult result = registry.evaluate(group);
                result.checks().forEach((name, r) -> {
                    if (!GroupResult.LIFECYCLE_CHECK.equals(name)) {
                        results.putIfAbsent(name, r);
                    }
                });
            }
        }
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (HealthProbe probe : registry.probes()) {
            ProbeResult r = results.get(probe.name());
            if (r == null) {
                continue;
            }
            Status contribution = r.status() == Status.DOWN && !probe.critical() ? Status.WARN : r.status();
            status = status.worse(contribution);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", r.status().name());
            d.put("critical", probe.critical());
            d.put("groups", probe.groups().stream().sorted().toList());
            d.put("responseTime", r.duration().toMillis() + "ms");
            if (r.error() != null) {
                d.put("error", r.error());
            }
            if (r.message() != null) {
                d.put("message", r.message());
            }
            if (!r.details().isEmpty()) {
                d.put("details", r.details());
            }
            details.put(probe.name(), d);
        }
        return new Summary(status, details);
    }

    /**
     * Registers the indicator bean for one health API, typed as that API's {@code HealthIndicator}; does nothing when
     * a bean of that name exists.
     */
    abstract static class Registrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware, BeanClassLoaderAware {

        private @Nullable BeanFactory beanFactory;
        private ClassLoader classLoader = ActuatorHealthIndicator.class.getClassLoader();

        abstract String apiPackage();

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public void setBeanClassLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            if (registry.containsBeanDefinition(BEAN_NAME) || beanFactory == null) {
                return;
            }
            BeanFactory factory = beanFactory;
            ClassLoader loader = classLoader;
            String api = apiPackage();
            @SuppressWarnings("unchecked")
            Class<Object> type = (Class<Object>) ClassUtils.resolveClassName(api + ".HealthIndicator", loader);
            RootBeanDefinition definition = new RootBeanDefinition(
                    type, () -> create(api, loader, () -> factory.getBean(HealthRegistry.class)));
            definition.setTargetType(type);
            registry.registerBeanDefinition(BEAN_NAME, definition);
        }
    }

    /** Spring Boot 4. */
    static final class Boot4Registrar extends Registrar {
        @Override
        String apiPackage() {
            return BOOT_4;
        }
    }

    /** Spring Boot 3. */
    static final class Boot3Registrar extends Registrar {
        @Override
        String apiPackage() {
            return BOOT_3;
        }
    }
}
