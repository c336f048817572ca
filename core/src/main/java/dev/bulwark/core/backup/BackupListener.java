package dev.bulwark.core.backup;

import java.time.Duration;

/**
 * Receives the outcome of each backup run, for metrics and alerts.
 *
 * <p>Implementations must be thread-safe. Methods are called on the thread that ran the backup (the scheduler's thread
 * or the caller of {@link BackupJob#run()}), after the run finished; they should be fast. An exception thrown by a
 * listener is logged and otherwise ignored: it never changes the outcome of a run.
 */
public interface BackupListener {

    /** Called when a run wrote and verified a new backup (after pruning). */
    default void onSuccess(BackupResult result) {}

    /**
     * Called when a run failed. No new backup exists and nothing was pruned.
     *
     * @param failure what went wrong, with its {@link BackupException#reason()}
     * @param duration how long the run took until it failed
     */
    default void onFailure(BackupException failure, Duration duration) {}

    /** Returns a listener that does nothing. */
    static BackupListener noop() {
        return NoopBackupListener.INSTANCE;
    }
}
