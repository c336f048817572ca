package dev.bulwark.core.backup;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a backup, a verification or a restore fails; carries a {@link Reason} for metrics and alerts and a
 * message that says what happened and how to fix it.
 *
 * <p>Messages name the host, port, database and user but never the password. When a backup run fails, no file that
 * looks like a backup is left behind and no old backup has been deleted. Immutable.
 */
public final class BackupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. Its {@link #tag()} is a bounded metric tag value. */
    public enum Reason {
        /** {@code pg_dump}, {@code pg_restore} or {@code psql} is not installed or not executable. */
        CLIENT_MISSING,
        /** The server is newer than the client tools ({@code pg_dump} refuses to dump it). */
        VERSION_MISMATCH,
        /** The server rejected the user or the password. */
        AUTHENTICATION,
        /** The server could not be reached, the database does not exist, or the connection was lost. */
        CONNECTION,
        /** The file system holding the backup directory is full. */
        DISK_FULL,
        /** {@code pg_dump} failed for another reason (see the message and the run's log file). */
        DUMP_FAILED,
        /** A backup file is truncated, corrupt or not a backup. */
        VERIFY_FAILED,
        /** A restore failed; the target database was created and may hold part of the data. */
        RESTORE_FAILED,
        /** A restore was refused because the target database already exists. */
        DATABASE_EXISTS,
        /** Another run (of this process, or of another process on the same directory) is in progress. */
        ALREADY_RUNNING,
        /** A client tool did not finish within the job's timeout and was stopped. */
        TIMEOUT,
        /** The calling thread was interrupted; the child process was stopped. */
        INTERRUPTED,
        /** Reading or writing the backup directory failed. */
        IO_ERROR;

        /** Returns the lower-case name, used as a metric tag ({@code disk_full}, {@code authentication}, …). */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    /** Creates the exception. */
    public BackupException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** Creates the exception with a cause. */
    public BackupException(Reason reason, String message, @Nullable Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.reason = requireNonNull(reason, "reason");
    }

    /** Returns why the operation failed. */
    public Reason reason() {
        return reason;
    }
}
