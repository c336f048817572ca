package dev.bulwark.core.backup;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link BackupJob} in-process on a {@link BackupSchedule}, on one daemon thread ({@code bulwark-backup}).
 *
 * <p>Safe for concurrent use. Runs never overlap: the scheduler runs one at a time and the job refuses a second run
 * (also one started by {@link BackupCommand} on the same directory). A run that outlasts the next scheduled time skips
 * it; the next run is computed from the end of the previous one. A failed run is logged by the job and counted by its
 * listener (consecutive failures, freshness probe), and the schedule goes on. The thread wakes at least once a minute
 * and compares the wall clock with the next run time, so a changed system clock, a suspended machine or a
 * daylight-saving change cannot make it miss or repeat a run by more than a minute.
 *
 * <pre>{@code
 * BackupScheduler scheduler = BackupScheduler.start(job, BackupSchedule.daily(LocalTime.of(2, 0), zone));
 * // on shutdown:
 * scheduler.close();   // stops a running pg_dump (its temporary file is deleted)
 * }</pre>
 */
public final class BackupScheduler implements AutoCloseable {

    /** The longest the scheduler thread sleeps before looking at the clock again. */
    static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    private final BackupJob job;
    private final BackupSchedule schedule;
    private final TimeSource time;
    private final LogSink sink = LogSink.defaultSink();
    private volatile Instant nextRun;
    private @Nullable ScheduledExecutorService executor;
    private boolean closed;

    private BackupScheduler(BackupJob job, BackupSchedule schedule) {
        this.job = requireNonNull(job, "job");
        this.schedule = requireNonNull(schedule, "schedule");
        this.time = job.timeSource();
        this.nextRun = schedule.next(time.now());
    }

    /** Returns a scheduler that is not started yet; its first run is the schedule's first time after now. */
    public static BackupScheduler create(BackupJob job, BackupSchedule schedule) {
        return new BackupScheduler(job, schedule);
    }

    /** Creates and starts a scheduler. */
    public static BackupScheduler start(BackupJob job, BackupSchedule schedule) {
        return create(job, schedule).start();
    }

    /**
     * Starts the scheduler thread.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized BackupScheduler start() {
        if (closed) {
            throw new IllegalStateException("backup scheduler is closed; create a new one");
        }
        if (executor != null) {
            throw new IllegalStateException("backup scheduler is already started");
        }
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-backup");
            t.setDaemon(true);
            return t;
        });
        executor = ex;
        sink.log(
                LogSink.Level.INFO,
                "Backups of " + job.connection().describe() + " scheduled " + schedule + "; next at " + nextRun);
        ex.execute(this::loop);
        return this;
    }

    /** Returns the time of the next run. */
    public Instant nextRun() {
        return nextRun;
    }

    /** Returns the schedule. */
    public BackupSchedule schedule() {
        return schedule;
    }

    /** Returns the job. */
    public BackupJob job() {
        return job;
    }

    /** Returns whether the scheduler thread is running. */
    public synchronized boolean isStarted() {
        return executor != null && !closed;
    }

    /**
     * Runs the job if its time has come, then computes the next run time from the clock; returns whether it ran.
     * Called by the scheduler thread; tests call it with a fake clock.
     */
    boolean tick() {
        Instant now = time.now();
        if (now.isBefore(nextRun)) {
            return false;
        }
        try {
            job.run();
        } catch (BackupException e) {
            // logged by the job, counted by its listener
        } catch (RuntimeException e) {
            sink.log(LogSink.Level.ERROR, "Backup run failed unexpectedly: " + e);
        }
        nextRun = schedule.next(time.now());
        sink.log(LogSink.Level.INFO, "Next backup at " + nextRun);
        return true;
    }

    private void loop() {
        try {
            tick();
        } catch (RuntimeException e) {
            sink.log(LogSink.Level.ERROR, "Backup scheduler error: " + e);
        }
        synchronized (this) {
            ScheduledExecutorService ex = executor;
            if (closed || ex == null || ex.isShutdown()) {
                return;
            }
            long wait = Duration.between(time.now(), nextRun).toMillis();
            wait = Math.max(0, Math.min(wait, MAX_SLEEP.toMillis()));
            ex.schedule(this::loop, wait, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops the scheduler; a backup in progress is interrupted (its child process is stopped and its temporary file
     * deleted). Waits up to 10 s for it to wind down. Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService ex;
        synchronized (this) {
            closed = true;
            ex = executor;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "BackupScheduler{" + schedule + ", next " + nextRun + "}";
    }
}
