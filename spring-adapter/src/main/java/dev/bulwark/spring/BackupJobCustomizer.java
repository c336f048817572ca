package dev.bulwark.spring;

import dev.bulwark.core.backup.BackupJob;

/**
 * Customizes the {@link BackupJob.Builder} after {@code bulwark.backup.*} properties are applied and before the job is
 * built, for example to set a connection built in code or a listener. Customizer beans run in {@link
 * org.springframework.core.annotation.Order} order, once, at startup.
 */
@FunctionalInterface
public interface BackupJobCustomizer {

    /** Customizes the builder. */
    void customize(BackupJob.Builder builder);
}
