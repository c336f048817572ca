package dev.bulwark.core.backup;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A backup file in a backup directory: its path, the time in its name (when the run started, UTC), its format and its
 * size. Only files with a final name ({@code db_backup_YYYYMMDD_HHMMSS.dump} or {@code .sql.gz}) are backups, and a
 * run gives a file that name only after verifying it, so every {@code BackupFile} was verified when written. Instances
 * are immutable and safe for concurrent use.
 *
 * @param path the file
 * @param time the time in the file name
 * @param format the format, from the extension
 * @param size the size in bytes
 */
public record BackupFile(Path path, Instant time, BackupFormat format, long size) {

    /**
     * Creates a value.
     *
     * @throws IllegalArgumentException if the size is negative
     */
    public BackupFile {
        requireNonNull(path, "path");
        requireNonNull(time, "time");
        requireNonNull(format, "format");
        requireArgument(size >= 0, "backup size must not be negative: %s", size);
    }

    /** Returns the file name. */
    public String name() {
        return String.valueOf(path.getFileName());
    }
}
