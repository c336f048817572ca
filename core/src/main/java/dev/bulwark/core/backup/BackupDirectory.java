package dev.bulwark.core.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * File names of the backup layout and directory listing. Only names of this layout are ever listed or deleted.
 * Stateless and safe for concurrent use.
 */
final class BackupDirectory {

    static final String PREFIX = "db_backup_";
    static final String LOG_PREFIX = "backup_";
    static final String LOG_EXTENSION = ".log";
    static final String TEMP_PREFIX = ".db_backup_";
    static final String TEMP_SUFFIX = ".partial";
    static final String LOCK_FILE = ".bulwark-backup.lock";

    /** {@code YYYYMMDD_HHMMSS}, UTC: names sort in time order and never repeat when clocks change. */
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss", Locale.ROOT);

    private static final Pattern BACKUP = Pattern.compile("db_backup_(\\d{8}_\\d{6})(\\.dump|\\.sql\\.gz)");
    private static final Pattern LOG = Pattern.compile("backup_(\\d{8}_\\d{6})\\.log");
    private static final Pattern TEMP = Pattern.compile("\\.db_backup_\\d{8}_\\d{6}(\\.dump|\\.sql\\.gz)\\.partial");

    private BackupDirectory() {}

    static String stamp(Instant time) {
        return STAMP.format(LocalDateTime.ofInstant(time.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
    }

    static String backupName(Instant time, BackupFormat format) {
        return PREFIX + stamp(time) + format.extension();
    }

    static String logName(Instant time) {
        return LOG_PREFIX + stamp(time) + LOG_EXTENSION;
    }

    static String tempName(String backupName) {
        return "." + backupName + TEMP_SUFFIX;
    }

    /** Returns the time and format of a backup file name, or {@code null} if the name is not one. */
    static @Nullable BackupFile parse(Path path, long size) {
        String name = String.valueOf(path.getFileName());
        Matcher m = BACKUP.matcher(name);
        if (!m.matches()) {
            return null;
        }
        Instant time = parseStamp(m.group(1));
        if (time == null) {
            return null;
        }
        BackupFormat format = m.group(2).equals(".dump") ? BackupFormat.CUSTOM : BackupFormat.PLAIN_GZIP;
        return new BackupFile(path, time, format, size);
    }

    /** Returns the format a file name implies, or {@code null}. */
    static @Nullable BackupFormat formatOf(Path path) {
        String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".dump")) {
            return BackupFormat.CUSTOM;
        }
        if (name.endsWith(".sql.gz") || name.endsWith(".gz")) {
            return BackupFormat.PLAIN_GZIP;
        }
        return null;
    }

    static @Nullable Instant parseStamp(String stamp) {
        try {
            return LocalDateTime.parse(stamp, STAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Lists the backups of a directory, newest first; a missing directory has none. */
    static List<BackupFile> list(Path dir) throws IOException {
        List<BackupFile> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : stream) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // pruned meanwhile
                }
                if (!attrs.isRegularFile()) {
                    continue;
                }
                BackupFile f = parse(p, attrs.size());
                if (f != null) {
                    result.add(f);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        result.sort(Comparator.comparing(BackupFile::time)
                .thenComparing(BackupFile::name)
                .reversed());
        return result;
    }

    /** Lists the run logs of a directory with the time in their names, oldest first. */
    static List<Path> logsOlderThan(Path logDir, Instant cutoff) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(logDir, LOG_PREFIX + "*" + LOG_EXTENSION)) {
            for (Path p : stream) {
                Matcher m = LOG.matcher(String.valueOf(p.getFileName()));
                if (!m.matches() || !Files.isRegularFile(p)) {
                    continue;
                }
                Instant time = parseStamp(m.group(1));
                if (time != null && time.isBefore(cutoff)) {
                    result.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    /** Lists temporary files left by runs that crashed (only called while holding the directory lock). */
    static List<Path> staleTemporaryFiles(Path dir) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path p : stream) {
                if (TEMP.matcher(String.valueOf(p.getFileName())).matches()) {
                    result.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return result;
    }
}
