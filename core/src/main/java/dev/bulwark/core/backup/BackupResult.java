package dev.bulwark.core.backup;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a successful backup run. Instances are immutable and safe for concurrent use.
 *
 * @param file the new, verified backup
 * @param duration how long the run took, from the connection check to the end of pruning
 * @param logFile the run's log file, or {@code null} when it could not be written
 * @param serverVersion the server's version, such as {@code 14.22}
 * @param clientVersion {@code pg_dump}'s version, such as {@code 15.18}
 * @param pruned the backups and log files deleted by retention after this run (unmodifiable)
 */
public record BackupResult(
        BackupFile file,
        Duration duration,
        @Nullable Path logFile,
        String serverVersion,
        String clientVersion,
        List<Path> pruned) {

    /** Creates a value and copies the list. */
    public BackupResult {
        requireNonNull(file, "file");
        requireNonNull(duration, "duration");
        requireNonNull(serverVersion, "serverVersion");
        requireNonNull(clientVersion, "clientVersion");
        pruned = List.copyOf(pruned);
    }
}
