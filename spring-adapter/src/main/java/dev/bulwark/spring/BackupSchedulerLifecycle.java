package dev.bulwark.spring;

import dev.bulwark.core.backup.BackupException;
import dev.bulwark.core.backup.BackupJob;
import dev.bulwark.core.backup.BackupSchedule;
import dev.bulwark.core.backup.BackupScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link BackupScheduler} while the application context runs: started after every singleton exists, closed
 * (stopping a running {@code pg_dump}) when the context stops. At start it checks the client tools once and logs a
 * warning naming the package to install when they are missing, so that the problem shows before the first run fails.
 * Safe for concurrent use.
 */
final class BackupSchedulerLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.backup");

    private final BackupJob job;
    private final BackupSchedule schedule;
    private @Nullable BackupScheduler scheduler;

    BackupSchedulerLifecycle(BackupJob job, BackupSchedule schedule) {
        this.job = job;
        this.schedule = schedule;
    }

    BackupSchedule schedule() {
        return schedule;
    }

    synchronized @Nullable BackupScheduler scheduler() {
        return scheduler;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        try {
            LOG.info("Backup client tools: {}", job.checkClientTools());
        } catch (BackupException e) {
            LOG.warn("Scheduled backups will fail until this is fixed: {}", e.getMessage());
        }
        scheduler = BackupScheduler.start(job, schedule);
    }

    @Override
    public synchronized void stop() {
        BackupScheduler s = scheduler;
        scheduler = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
