package dev.bulwark.spring;

import dev.bulwark.core.accesslog.AccessLog;

/**
 * Customizes the {@link AccessLog.Builder} after {@code bulwark.access-log.*} properties are applied and before the
 * access log is built, for example to set a custom {@link dev.bulwark.core.accesslog.AccessLogSink}. Customizer beans
 * run in {@link org.springframework.core.annotation.Order} order, once, at startup.
 */
@FunctionalInterface
public interface AccessLogCustomizer {

    /** Customizes the builder. */
    void customize(AccessLog.Builder builder);
}
