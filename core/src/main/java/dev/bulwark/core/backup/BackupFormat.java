package dev.bulwark.core.backup;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The file format of a backup. Enum constants are immutable and safe for concurrent use.
 *
 * <p>{@link #CUSTOM} ({@code pg_dump -Fc}, the default) is compressed, restorable selectively and in parallel with
 * {@code pg_restore}, and verified with {@code pg_restore --list} plus a full read. {@link #PLAIN_GZIP} is the seed's
 * format: plain SQL from {@code pg_dump}, gzipped in-process (so {@code pg_dump}'s own exit status is checked, never
 * a pipeline's), restorable with {@code psql}, and verified by reading the whole gzip stream and finding the {@code
 * PostgreSQL database dump complete} trailer that {@code pg_dump} writes last.
 */
public enum BackupFormat {
    /** {@code pg_dump --format=custom}: file extension {@code .dump}. */
    CUSTOM(".dump"),
    /** {@code pg_dump --format=plain}, gzipped: file extension {@code .sql.gz}. */
    PLAIN_GZIP(".sql.gz");

    private final String extension;

    BackupFormat(String extension) {
        this.extension = extension;
    }

    /** Returns the file extension, with its leading dot: {@code .dump} or {@code .sql.gz}. */
    public String extension() {
        return extension;
    }

    /**
     * Parses a format name: {@code custom} (or {@code dump}), {@code plain} (or {@code plain-gzip}, {@code sql.gz});
     * case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted values otherwise
     */
    public static BackupFormat parse(String value) {
        String v =
                requireNonNull(value, "value").trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (v) {
            case "custom", "dump", "fc" -> CUSTOM;
            case "plain", "plain-gzip", "sql.gz", "sql", "gzip" -> PLAIN_GZIP;
            default ->
                throw new IllegalArgumentException(
                        "backup format must be custom (pg_dump -Fc) or plain (SQL, gzipped): '" + value + "'");
        };
    }
}
