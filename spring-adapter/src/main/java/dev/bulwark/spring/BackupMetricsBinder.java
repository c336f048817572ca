package dev.bulwark.spring;

import dev.bulwark.core.backup.BackupException;
import dev.bulwark.core.backup.BackupJob;
import dev.bulwark.core.backup.BackupListener;
import dev.bulwark.core.backup.BackupResult;
import dev.bulwark.core.metrics.BackupMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the backup job to the context's {@link MeterRegistry} once every singleton exists, whatever the order of
 * auto-configurations: until then (and for ever, when the application has no registry) runs are not recorded. Safe for
 * concurrent use.
 */
final class BackupMetricsBinder implements BackupListener, SmartInitializingSingleton {

    private final ObjectProvider<MeterRegistry> registries;
    private final ObjectProvider<BackupJob> jobs;
    private volatile BackupListener delegate = BackupListener.noop();

    BackupMetricsBinder(ObjectProvider<MeterRegistry> registries, ObjectProvider<BackupJob> jobs) {
        this.registries = registries;
        this.jobs = jobs;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        BackupJob job = jobs.getIfUnique();
        if (registry != null && job != null) {
            delegate = new BackupMetrics(registry).monitor(job);
        }
    }

    @Override
    public void onSuccess(BackupResult result) {
        delegate.onSuccess(result);
    }

    @Override
    public void onFailure(BackupException failure, Duration duration) {
        delegate.onFailure(failure, duration);
    }
}
