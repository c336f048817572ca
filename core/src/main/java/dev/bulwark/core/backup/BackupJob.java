package dev.bulwark.core.backup;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.backup.BackupException.Reason;
import dev.bulwark.core.backup.PgTools.Exec;
import dev.bulwark.core.backup.PgTools.Version;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Backs up one PostgreSQL database with {@code pg_dump}, verifies the file, renames it into place atomically and
 * prunes old backups; also lists, verifies and restores backups.
 *
 * <p>Instances are immutable in their configuration and safe for concurrent use; builders are not thread-safe. At most
 * one {@link #run()} is in progress per directory: a second call from this process, or a run of another process (such
 * as {@link BackupCommand} from cron) on the same directory, fails at once with {@link Reason#ALREADY_RUNNING}
 * (an in-process lock plus a file lock on {@code .bulwark-backup.lock}).
 *
 * <p>A run, as the seed's {@code backup-db.sh} but without its silent failure modes:
 *
 * <ol>
 *   <li>checks the client tools ({@code pg_dump --version}; {@code pg_restore} for the custom format): a missing tool
 *       fails with the package to install;
 *   <li>checks the connection with {@code psql -c "select …server_version_num"}: an unreachable server, a wrong
 *       password or a missing database fail with a clear message; a server newer than {@code pg_dump} fails before
 *       dumping ({@code pg_dump}'s own {@code server version mismatch} is recognised too);
 *   <li>dumps into a hidden temporary file ({@code .db_backup_….partial}, mode {@code 0600}) in the backup directory:
 *       {@code pg_dump --format=custom --file=…}, or plain SQL read from {@code pg_dump}'s standard output and gzipped
 *       in-process; {@code pg_dump}'s exit status is always checked;
 *   <li>verifies the file ({@code pg_restore --list} and a full read for custom, a full gzip read and {@code pg_dump}'s
 *       completion trailer for plain), syncs it to disk and renames it with {@code ATOMIC_MOVE} to {@code
 *       db_backup_YYYYMMDD_HHMMSS.dump} or {@code .sql.gz} (UTC);
 *   <li>only then prunes backups by the {@link RetentionPolicy} (never the newest) and run logs older than the log
 *       retention.
 * </ol>
 *
 * <p>A failing run deletes its temporary file and nothing else, so a failed run never leaves a file that looks like a
 * backup and never costs an old one. The password reaches the tools only in their environment ({@code PGPASSWORD});
 * without one they read {@code ~/.pgpass}. Each run writes {@code logs/backup_YYYYMMDD_HHMMSS.log} (seed format) and
 * logs to SLF4J's {@code bulwark.backup} logger when present.
 *
 * <p>Defaults: format {@link BackupFormat#CUSTOM}, retention {@link RetentionPolicy#defaults()} (7 days), log retention
 * 14 days, log directory {@code <directory>/logs}, {@code pg_dump} from the {@code PATH} ({@code pg_restore} and {@code
 * psql} next to a configured {@code pg_dump} path, else from the {@code PATH}), timeout 6 h per tool, system time.
 */
public final class BackupJob {

    /** The default time limit of one client tool run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);

    /** The default retention of run logs (the seed's 14 days). */
    public static final Duration DEFAULT_LOG_RETENTION = Duration.ofDays(14);

    /** The application name the tools show in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "bulwark-backup";

    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");
    private static final byte[] DUMP_TRAILER = "PostgreSQL database dump complete".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 64 * 1024;

    private final PostgresConnection connection;
    private final Path directory;
    private final Path logDirectory;
    private final BackupFormat format;
    private final RetentionPolicy retention;
    private final Duration logRetention;
    private final String pgDump;
    private final @Nullable String pgRestore;
    private final @Nullable String psql;
    private final Duration timeout;
    private final TimeSource timeSource;
    private final BackupListener listener;
    private final LogSink sink;

    private final ReentrantLock runLock = new ReentrantLock();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile @Nullable Instant runningSince;
    private volatile @Nullable BackupResult lastSuccess;
    private volatile @Nullable BackupException lastFailure;

    private BackupJob(Builder b) {
        this.connection = requireNonNull(b.connection, "connection");
        this.directory = requireNonNull(b.directory, "directory");
        this.logDirectory = b.logDirectory != null ? b.logDirectory : b.directory.resolve("logs");
        this.format = b.format;
        this.retention = b.retention;
        this.logRetention = b.logRetention;
        this.pgDump = b.pgDump;
        this.pgRestore = b.pgRestore;
        this.psql = b.psql;
        this.timeout = b.timeout;
        this.timeSource = b.timeSource;
        this.listener = b.listener;
        this.sink = b.sink;
    }

    /** Returns a builder; the connection and the directory are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this job's configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connection = connection;
        b.directory = directory;
        b.logDirectory = logDirectory;
        b.format = format;
        b.retention = retention;
        b.logRetention = logRetention;
        b.pgDump = pgDump;
        b.pgRestore = pgRestore;
        b.psql = psql;
        b.timeout = timeout;
        b.timeSource = timeSource;
        b.listener = listener;
        b.sink = sink;
        return b;
    }

    // ------------------------------------------------------------------------------------------------------------ run

    /**
     * Runs a backup now, on the calling thread: checks, dumps, verifies, renames, prunes (see the class documentation).
     *
     * @return the new backup and what was pruned
     * @throws BackupException with its {@link BackupException#reason() reason} when the run failed; no new backup
     *     file exists then and nothing was deleted
     */
    public BackupResult run() {
        if (!runLock.tryLock()) {
            throw new BackupException(
                    Reason.ALREADY_RUNNING,
                    "a backup into " + directory + " is already running (started " + runningSince + "); skipped");
        }
        long start = timeSource.nanoTime();
        Instant started = timeSource.now();
        runningSince = started;
        RunLog log = null;
        try {
            createPrivateDirectories(directory);
            try (FileChannel channel = FileChannel.open(
                            directory.resolve(BackupDirectory.LOCK_FILE),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock lock = tryLock(channel)) {
                Instant nameTime = uniqueTime(started);
                log = RunLog.open(logDirectory.resolve(BackupDirectory.logName(nameTime)), sink, timeSource::now);
                BackupResult result = runLocked(log, nameTime, start);
                lastSuccess = result;
                lastFailure = null;
                consecutiveFailures.set(0);
                notifySuccess(result);
                return result;
            }
        } catch (BackupException | IOException e) {
            BackupException failure = e instanceof BackupException b ? b : ioFailure("backup", (IOException) e);
            if (failure.reason() == Reason.ALREADY_RUNNING) {
                sink.log(LogSink.Level.WARN, failure.getMessage());
                throw failure;
            }
            Duration took = Duration.ofNanos(timeSource.nanoTime() - start);
            if (log != null) {
                log.error("Backup failed: " + failure.getMessage());
                log.info("Old backups were kept; nothing was deleted");
            } else {
                sink.log(LogSink.Level.ERROR, "Backup failed: " + failure.getMessage());
            }
            lastFailure = failure;
            consecutiveFailures.incrementAndGet();
            notifyFailure(failure, took);
            throw failure;
        } finally {
            if (log != null) {
                log.close();
            }
            runningSince = null;
            runLock.unlock();
        }
    }

    private FileLock tryLock(FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new BackupException(
                    Reason.ALREADY_RUNNING,
                    "another backup into " + directory + " is running (" + BackupDirectory.LOCK_FILE
                            + " is locked); skipped");
        }
        return lock;
    }

    private BackupResult runLocked(RunLog log, Instant nameTime, long start) throws IOException {
        log.info("Starting database backup of " + connection.describe() + " (" + formatName(format) + ")");
        Version client = PgTools.version(pgDump, "pg_dump", toolCheckTimeout());
        if (format == BackupFormat.CUSTOM) {
            PgTools.version(pgRestoreCommand(), "pg_restore", toolCheckTimeout());
        }
        Version server = checkConnection(log);
        if (server.major() > client.major()) {
            throw PgTools.versionMismatch("pg_dump", server.text(), client.text());
        }
        for (Path stale : BackupDirectory.staleTemporaryFiles(directory)) {
            if (Files.deleteIfExists(stale)) {
                log.warn("Deleted the temporary file of an interrupted run: " + stale.getFileName());
            }
        }
        String name = BackupDirectory.backupName(nameTime, format);
        Path target = directory.resolve(name);
        Path temp = directory.resolve(BackupDirectory.tempName(name));
        log.info("Creating backup: " + target + " (pg_dump " + client.text() + ", server " + server.text() + ")");
        long size;
        boolean moved = false;
        try {
            dump(temp, log);
            size = Files.size(temp);
            verifyFile(temp, format, log);
            sync(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new BackupException(
                        Reason.IO_ERROR,
                        "the file system of " + directory + " cannot rename atomically; use a local directory",
                        e);
            }
            moved = true;
            syncDirectory(directory);
        } catch (IOException e) {
            throw ioFailure("dump", e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
        log.info("Backup completed successfully");
        log.info("Backup size: " + humanBytes(size));
        List<Path> pruned = prune(log, timeSource.now(), target);
        Duration took = Duration.ofNanos(timeSource.nanoTime() - start);
        log.info("Backup process completed in " + human(took));
        return new BackupResult(
                new BackupFile(target, nameTime, format, size), took, log.file(), server.text(), client.text(), pruned);
    }

    /** Returns the start time, moved on by whole seconds if a backup of that name exists (two runs in a second). */
    private Instant uniqueTime(Instant started) {
        Instant t = started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int i = 0; i < 3600; i++) {
            boolean taken = false;
            for (BackupFormat f : BackupFormat.values()) {
                taken |= Files.exists(directory.resolve(BackupDirectory.backupName(t, f)));
            }
            if (!taken) {
                return t;
            }
            t = t.plusSeconds(1);
        }
        return t;
    }

    private Version checkConnection(RunLog log) throws IOException {
        StringBuilder out = new StringBuilder();
        Exec exec = PgTools.run(
                "psql",
                List.of(
                        psqlCommand(),
                        "-X",
                        "-w",
                        "-A",
                        "-t",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-c",
                        "select current_setting('server_version_num') || '|' || current_setting('server_version')"),
                connection.environment(APPLICATION_NAME),
                toolCheckTimeout().plus(connection.connectTimeout()),
                PgTools.collect(out, 4096),
                line -> log.child("psql", line));
        if (exec.exitCode() != 0) {
            throw PgTools.failure("psql", exec, connection, "connection check", Reason.CONNECTION);
        }
        String[] parts = out.toString().strip().split("\\|", 2);
        try {
            String text = parts.length > 1 ? parts[1].strip().split("\\s+")[0] : parts[0];
            Version server = Version.ofServerNum(Integer.parseInt(parts[0].strip()), text);
            log.info("Successfully connected to database (PostgreSQL " + server.text() + ")");
            return server;
        } catch (NumberFormatException e) {
            throw new BackupException(
                    Reason.CONNECTION,
                    "the connection check returned an unexpected answer: '"
                            + escape(out.toString().strip()) + "'");
        }
    }

    private void dump(Path temp, RunLog log) throws IOException {
        createPrivateFile(temp);
        Exec exec;
        if (format == BackupFormat.CUSTOM) {
            exec = PgTools.run(
                    "pg_dump",
                    List.of(pgDump, "--no-password", "--format=custom", "--file=" + temp),
                    connection.environment(APPLICATION_NAME),
                    timeout,
                    null,
                    line -> log.child("pg_dump", line));
        } else {
            exec = PgTools.run(
                    "pg_dump",
                    List.of(pgDump, "--no-password", "--format=plain"),
                    connection.environment(APPLICATION_NAME),
                    timeout,
                    in -> {
                        try (OutputStream file = Files.newOutputStream(
                                        temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                                GZIPOutputStream gzip =
                                        new GZIPOutputStream(new BufferedOutputStream(file, BUFFER), BUFFER)) {
                            copyInterruptibly(in, gzip);
                            gzip.finish();
                        }
                    },
                    line -> log.child("pg_dump", line));
        }
        if (exec.exitCode() != 0) {
            throw PgTools.failure("pg_dump", exec, connection, "dump of " + connection.describe(), Reason.DUMP_FAILED);
        }
    }

    // --------------------------------------------------------------------------------------------------------- verify

    /**
     * Checks that a backup file is complete and readable: for the custom format {@code pg_restore --list} (the table of
     * contents) and a full read of every entry by {@code pg_restore}; for plain SQL a full gzip read (checksum and
     * length) and {@code pg_dump}'s {@code PostgreSQL database dump complete} trailer. The format is taken from the
     * extension ({@code .dump}, {@code .sql.gz}), else from the file's first bytes.
     *
     * @throws BackupException {@link Reason#VERIFY_FAILED} if it is not; {@link Reason#CLIENT_MISSING} if {@code
     *     pg_restore} is needed and missing
     */
    public void verify(Path file) {
        requireNonNull(file, "file");
        BackupFormat f = formatOf(file);
        RunLog log = RunLog.open(null, sink, timeSource::now);
        if (f == BackupFormat.CUSTOM) {
            PgTools.version(pgRestoreCommand(), "pg_restore", toolCheckTimeout());
        }
        try {
            verifyFile(file, f, log);
        } catch (IOException e) {
            throw ioFailure("verification of " + file, e);
        }
    }

    private BackupFormat formatOf(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BackupException(Reason.VERIFY_FAILED, "no such backup file: " + file);
        }
        BackupFormat f = BackupDirectory.formatOf(file);
        if (f != null) {
            return f;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(5);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return BackupFormat.PLAIN_GZIP;
            }
            if (new String(head, StandardCharsets.US_ASCII).equals("PGDMP")) {
                return BackupFormat.CUSTOM;
            }
        } catch (IOException e) {
            throw ioFailure("verification of " + file, e);
        }
        throw new BackupException(
                Reason.VERIFY_FAILED,
                "not a backup file: " + file + " is neither a pg_dump custom-format archive nor gzipped SQL");
    }

    private void verifyFile(Path file, BackupFormat f, RunLog log) throws IOException {
        if (f == BackupFormat.CUSTOM) {
            int[] entries = {0};
            boolean[] header = {false};
            Exec list = PgTools.run(
                    "pg_restore",
                    List.of(pgRestoreCommand(), "--list", file.toString()),
                    java.util.Map.of(),
                    timeout,
                    in -> {
                        java.io.BufferedReader r =
                                new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.startsWith("; Archive created at")) {
                                header[0] = true;
                            } else if (!line.isBlank() && !line.startsWith(";")) {
                                entries[0]++;
                            }
                        }
                    },
                    line -> log.child("pg_restore", line));
            if (list.exitCode() != 0 || !header[0]) {
                throw new BackupException(
                        Reason.VERIFY_FAILED,
                        "backup file " + file.getFileName() + " failed verification (pg_restore --list): "
                                + list.lastLine());
            }
            Exec read = PgTools.run(
                    "pg_restore",
                    List.of(pgRestoreCommand(), "--file=-", file.toString()),
                    java.util.Map.of(),
                    timeout,
                    null,
                    line -> log.child("pg_restore", line));
            if (read.exitCode() != 0) {
                throw new BackupException(
                        Reason.VERIFY_FAILED,
                        "backup file " + file.getFileName() + " failed verification (full read by pg_restore): "
                                + read.lastLine());
            }
            log.info("Verified " + file.getFileName() + ": " + entries[0] + " archive entries, all readable");
        } else {
            long bytes = 0;
            byte[] tail = new byte[256];
            int tailLength = 0;
            try (InputStream in =
                    new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER), BUFFER)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    bytes += n;
                    if (n >= tail.length) {
                        System.arraycopy(buf, n - tail.length, tail, 0, tail.length);
                        tailLength = tail.length;
                    } else {
                        int keep = Math.min(tailLength, tail.length - n);
                        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
                        System.arraycopy(buf, 0, tail, keep, n);
                        tailLength = keep + n;
                    }
                }
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new BackupException(
                        Reason.VERIFY_FAILED,
                        "backup file " + file.getFileName() + " is not a complete gzip file: " + e.getMessage(),
                        e);
            }
            if (indexOf(tail, tailLength, DUMP_TRAILER) < 0) {
                throw new BackupException(
                        Reason.VERIFY_FAILED,
                        "backup file " + file.getFileName() + " does not end with pg_dump's 'PostgreSQL database dump"
                                + " complete' line: the dump is incomplete");
            }
            log.info("Verified " + file.getFileName() + ": " + humanBytes(bytes) + " of SQL, gzip checksum correct");
        }
    }

    /** Copies until end of stream, giving up when the thread is interrupted (the scheduler is closing). */
    private static void copyInterruptibly(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while writing the backup");
            }
        }
    }

    private static int indexOf(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // -------------------------------------------------------------------------------------------------------- restore

    /**
     * Restores a backup into a new database: verifies the file, creates the database ({@code CREATE DATABASE}, over
     * this job's connection), then restores with {@code pg_restore --exit-on-error --single-transaction} (custom) or
     * {@code psql -v ON_ERROR_STOP=1 --single-transaction} (plain), so a failed restore leaves the new database empty.
     * An existing database is never touched: restoring over live data is not offered.
     *
     * @param database the new database's name: a letter or {@code _}, then letters, digits, {@code _ $ -} (at most
     *     63)
     * @throws IllegalArgumentException if the name is not such a name
     * @throws BackupException {@link Reason#DATABASE_EXISTS} if the database exists, {@link Reason#VERIFY_FAILED} if
     *     the file is not a complete backup, {@link Reason#RESTORE_FAILED} if the restore failed, or a connection
     *     failure
     */
    public void restore(Path file, String database) {
        requireNonNull(file, "file");
        requireNonNull(database, "database");
        requireArgument(
                DATABASE_NAME.matcher(database).matches(),
                "restore database name must start with a letter or _ and hold only letters, digits, _ $ - (at most"
                        + " 63): '%s'",
                escape(database));
        BackupFormat f = formatOf(file);
        RunLog log = RunLog.open(null, sink, timeSource::now);
        try {
            log.info("Verifying " + file);
            if (f == BackupFormat.CUSTOM) {
                PgTools.version(pgRestoreCommand(), "pg_restore", toolCheckTimeout());
            }
            verifyFile(file, f, log);
            checkConnection(log);
            log.info("Creating database " + database);
            Exec create = PgTools.run(
                    "psql",
                    List.of(
                            psqlCommand(),
                            "-X",
                            "-w",
                            "-q",
                            "-v",
                            "ON_ERROR_STOP=1",
                            "-c",
                            "CREATE DATABASE \"" + database + "\""),
                    connection.environment(APPLICATION_NAME),
                    toolCheckTimeout().plus(connection.connectTimeout()),
                    null,
                    line -> log.child("psql", line));
            if (create.exitCode() != 0) {
                if (create.stderr().contains("already exists")) {
                    throw new BackupException(
                            Reason.DATABASE_EXISTS,
                            "database '" + database + "' already exists on " + connection.host() + ":"
                                    + connection.port() + ": restore only into a new database; choose another name"
                                    + " (the existing database was not touched)");
                }
                throw PgTools.failure(
                        "psql", create, connection, "creation of database '" + database + "'", Reason.RESTORE_FAILED);
            }
            PostgresConnection target = connection.withDatabase(database);
            log.info("Restoring " + file.getFileName() + " into " + database);
            Exec restore;
            if (f == BackupFormat.CUSTOM) {
                restore = PgTools.run(
                        "pg_restore",
                        List.of(
                                pgRestoreCommand(),
                                "--no-password",
                                "--exit-on-error",
                                "--single-transaction",
                                "--dbname=" + database,
                                file.toString()),
                        target.environment(APPLICATION_NAME),
                        timeout,
                        null,
                        line -> log.child("pg_restore", line));
            } else {
                restore = PgTools.run(
                        "psql",
                        List.of(
                                psqlCommand(),
                                "-X",
                                "-w",
                                "-q",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "--single-transaction",
                                "-f",
                                "-"),
                        target.environment(APPLICATION_NAME),
                        timeout,
                        stdin -> {
                            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), BUFFER)) {
                                in.transferTo(stdin);
                            }
                        },
                        null,
                        line -> log.child("psql", line));
            }
            if (restore.exitCode() != 0) {
                BackupException cause = PgTools.failure(
                        f == BackupFormat.CUSTOM ? "pg_restore" : "psql",
                        restore,
                        target,
                        "restore",
                        Reason.RESTORE_FAILED);
                throw new BackupException(
                        cause.reason(),
                        cause.getMessage() + "; the restore ran in one transaction, so database '" + database
                                + "' was created but left empty: fix the cause, drop it and restore again",
                        cause);
            }
            log.info("Restored " + file.getFileName() + " into database " + database);
        } catch (IOException e) {
            throw ioFailure("restore of " + file, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------- prune

    private List<Path> prune(RunLog log, Instant now, Path keep) {
        List<Path> pruned = new ArrayList<>();
        log.info("Cleaning up old backups (" + retention + "; logs older than " + human(logRetention) + ")");
        try {
            for (BackupFile old : retention.prunable(BackupDirectory.list(directory), now)) {
                if (old.path().equals(keep)) {
                    continue;
                }
                if (Files.deleteIfExists(old.path())) {
                    pruned.add(old.path());
                    log.info("Deleted old backup: " + old.name());
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Pruning old backups failed: " + e.getMessage());
        }
        try {
            Path currentLog = log.file();
            for (Path old : BackupDirectory.logsOlderThan(logDirectory, now.minus(logRetention))) {
                if (!old.equals(currentLog) && Files.deleteIfExists(old)) {
                    pruned.add(old);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Pruning old logs failed: " + e.getMessage());
        }
        return List.copyOf(pruned);
    }

    /**
     * Applies the retention policy to the backup directory now, deleting what it prunes (never the newest backup).
     * {@link #run()} calls this after each success; call it yourself only after a successful backup.
     */
    List<Path> pruneNow() {
        RunLog log = RunLog.open(null, sink, timeSource::now);
        List<BackupFile> backups = list();
        return prune(
                log,
                timeSource.now(),
                backups.isEmpty() ? directory : backups.get(0).path());
    }

    /**
     * Checks that the client tools this job uses can run ({@code pg_dump}, {@code pg_restore} and {@code psql} with
     * {@code --version}), for a startup check; connects to nothing.
     *
     * @return their versions, such as {@code pg_dump 15.18, pg_restore 15.18, psql 15.18}
     * @throws BackupException {@link Reason#CLIENT_MISSING} naming the missing tool and the package to install
     */
    public String checkClientTools() {
        return "pg_dump "
                + PgTools.version(pgDump, "pg_dump", toolCheckTimeout()).text()
                + ", pg_restore "
                + PgTools.version(pgRestoreCommand(), "pg_restore", toolCheckTimeout())
                        .text()
                + ", psql "
                + PgTools.version(psqlCommand(), "psql", toolCheckTimeout()).text();
    }

    // ----------------------------------------------------------------------------------------------------------- list

    /**
     * Returns the backups in the directory, newest first; empty if the directory does not exist. Only verified
     * backups have a backup's name, so every file listed was complete when written.
     *
     * @throws BackupException {@link Reason#IO_ERROR} if the directory cannot be read
     */
    public List<BackupFile> list() {
        try {
            return List.copyOf(BackupDirectory.list(directory));
        } catch (IOException e) {
            throw ioFailure("listing of " + directory, e);
        }
    }

    /** Returns the newest backup, if any. */
    public Optional<BackupFile> latest() {
        List<BackupFile> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Returns whether a run of this job is in progress. */
    public boolean isRunning() {
        return runLock.isLocked();
    }

    /** Returns the number of runs that failed since the last success (runs skipped as already running not counted). */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Returns the failure of the last run, if it failed. */
    public Optional<BackupException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Returns the result of the last successful run of this job instance, if any. */
    public Optional<BackupResult> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    // ------------------------------------------------------------------------------------------------------ accessors

    /** Returns the connection. */
    public PostgresConnection connection() {
        return connection;
    }

    /** Returns the backup directory. */
    public Path directory() {
        return directory;
    }

    /** Returns the directory of the run logs. */
    public Path logDirectory() {
        return logDirectory;
    }

    /** Returns the format of new backups. */
    public BackupFormat format() {
        return format;
    }

    /** Returns the retention policy. */
    public RetentionPolicy retention() {
        return retention;
    }

    /** Returns how long run logs are kept. */
    public Duration logRetention() {
        return logRetention;
    }

    /** Returns the {@code pg_dump} command or path. */
    public String pgDump() {
        return pgDump;
    }

    /** Returns the {@code pg_restore} command or path in use. */
    public String pgRestore() {
        return pgRestoreCommand();
    }

    /** Returns the {@code psql} command or path in use. */
    public String psql() {
        return psqlCommand();
    }

    /** Returns the time limit of one client tool run. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns the time source. */
    public TimeSource timeSource() {
        return timeSource;
    }

    @Override
    public String toString() {
        return "BackupJob{" + connection + " -> " + directory + ", " + formatName(format) + ", " + retention + "}";
    }

    // -------------------------------------------------------------------------------------------------------- helpers

    private String pgRestoreCommand() {
        return pgRestore != null ? pgRestore : PgTools.sibling(pgDump, "pg_restore");
    }

    private String psqlCommand() {
        return psql != null ? psql : PgTools.sibling(pgDump, "psql");
    }

    private static Duration toolCheckTimeout() {
        return Duration.ofSeconds(30);
    }

    private void notifySuccess(BackupResult result) {
        try {
            listener.onSuccess(result);
        } catch (RuntimeException e) {
            sink.log(LogSink.Level.WARN, "backup listener " + listener + " failed: " + e);
        }
    }

    private void notifyFailure(BackupException failure, Duration took) {
        try {
            listener.onFailure(failure, took);
        } catch (RuntimeException e) {
            sink.log(LogSink.Level.WARN, "backup listener " + listener + " failed: " + e);
        }
    }

    private BackupException ioFailure(String doing, IOException e) {
        if (e instanceof java.io.InterruptedIOException) {
            return new BackupException(Reason.INTERRUPTED, doing + " was interrupted; pg_dump was stopped", e);
        }
        if (PgTools.isDiskFull(e)) {
            return PgTools.diskFull(doing, e);
        }
        if (e instanceof NoSuchFileException) {
            return new BackupException(
                    Reason.IO_ERROR, doing + " failed: no such file or directory: " + e.getMessage(), e);
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new BackupException(
                    Reason.IO_ERROR,
                    doing + " failed: permission denied: " + e.getMessage()
                            + "; give the application's user write access to the backup directory",
                    e);
        }
        return new BackupException(Reason.IO_ERROR, doing + " failed: " + e, e);
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (supportsPosix(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void createPrivateFile(Path file) throws IOException {
        FileAttribute<?>[] attrs = supportsPosix(file.getParent())
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attrs);
        } catch (FileAlreadyExistsException e) {
            Files.delete(file);
            Files.createFile(file, attrs);
        }
    }

    private static boolean supportsPosix(@Nullable Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported on every platform; the rename itself is atomic
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // reported by the failure that got us here; a leftover is removed by the next run
        }
    }

    private static String formatName(BackupFormat f) {
        return f == BackupFormat.CUSTOM ? "custom format" : "plain SQL, gzip";
    }

    /** Returns a duration for humans: {@code 850 ms}, {@code 3.2 s}, {@code 26 h}, {@code 14 d}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return d.toMinutes() + " min";
        }
        if (d.toHours() < 72 || d.toHours() % 24 != 0) {
            return d.toHours() + " h";
        }
        return d.toDays() + " d";
    }

    /** Returns a size for humans: {@code 512 B}, {@code 1.5 KB}, {@code 12.3 MB}. */
    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Builds a {@link BackupJob}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private @Nullable PostgresConnection connection;
        private @Nullable Path directory;
        private @Nullable Path logDirectory;
        private BackupFormat format = BackupFormat.CUSTOM;
        private RetentionPolicy retention = RetentionPolicy.defaults();
        private Duration logRetention = DEFAULT_LOG_RETENTION;
        private String pgDump = "pg_dump";
        private @Nullable String pgRestore;
        private @Nullable String psql;
        private Duration timeout = DEFAULT_TIMEOUT;
        private TimeSource timeSource = TimeSource.system();
        private BackupListener listener = BackupListener.noop();
        private LogSink sink = LogSink.defaultSink();

        private Builder() {}

        /** Sets the database to back up (required). */
        public Builder connection(PostgresConnection connection) {
            this.connection = requireNonNull(connection, "connection");
            return this;
        }

        /**
         * Sets the backup directory (required); created with mode {@code 0700} if missing. Put it on a volume that
         * outlives the application's container, ideally another machine's.
         */
        public Builder directory(Path directory) {
            this.directory = requireNonNull(directory, "directory");
            return this;
        }

        /** Sets the directory of the run logs (default {@code <directory>/logs}). */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = requireNonNull(logDirectory, "logDirectory");
            return this;
        }

        /** Sets the format of new backups (default {@link BackupFormat#CUSTOM}). */
        public Builder format(BackupFormat format) {
            this.format = requireNonNull(format, "format");
            return this;
        }

        /** Sets the retention policy applied after each successful run (default: 7 days). */
        public Builder retention(RetentionPolicy retention) {
            this.retention = requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Sets how long run logs are kept (default 14 days).
         *
         * @throws IllegalArgumentException if shorter than 1 day
         */
        public Builder logRetention(Duration logRetention) {
            requireNonNull(logRetention, "logRetention");
            requireArgument(
                    logRetention.compareTo(Duration.ofDays(1)) >= 0,
                    "backup log retention must be at least 1 day: %s",
                    logRetention);
            this.logRetention = logRetention;
            return this;
        }

        /**
         * Sets {@code pg_dump}: a command looked up on the {@code PATH} (default {@code pg_dump}) or a path such as
         * {@code /usr/lib/postgresql/16/bin/pg_dump}; {@code pg_restore} and {@code psql} are then taken from the same
         * directory when present there.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder pgDump(String pgDump) {
            this.pgDump = requireTool(pgDump, "pg_dump");
            return this;
        }

        /**
         * Sets {@code pg_restore} explicitly (default: next to {@code pg_dump}, else on the {@code PATH}).
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder pgRestore(String pgRestore) {
            this.pgRestore = requireTool(pgRestore, "pg_restore");
            return this;
        }

        /**
         * Sets {@code psql} explicitly (default: next to {@code pg_dump}, else on the {@code PATH}).
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder psql(String psql) {
            this.psql = requireTool(psql, "psql");
            return this;
        }

        /**
         * Sets the time limit of one client tool run (default 6 h); a tool still running then is stopped and the run
         * fails with {@link Reason#TIMEOUT}.
         *
         * @throws IllegalArgumentException if not within 1 s..7 d
         */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            requireArgument(
                    timeout.compareTo(Duration.ofSeconds(1)) >= 0 && timeout.compareTo(Duration.ofDays(7)) <= 0,
                    "backup timeout must be between 1 s and 7 d: %s",
                    timeout);
            this.timeout = timeout;
            return this;
        }

        /** Sets the time source of file names, durations and retention (default {@link TimeSource#system()}). */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = requireNonNull(timeSource, "timeSource");
            return this;
        }

        /** Sets the listener told about each run (default {@link BackupListener#noop()}). */
        public Builder listener(BackupListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /** Sets where progress lines go besides the run log (the command prints them). */
        Builder sink(LogSink sink) {
            this.sink = requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Returns the job.
         *
         * @throws IllegalStateException if the connection or the directory is missing
         */
        public BackupJob build() {
            if (connection == null) {
                throw new IllegalStateException("backup connection must be set: the database to back up");
            }
            if (directory == null) {
                throw new IllegalStateException("backup directory must be set: where backups are written");
            }
            return new BackupJob(this);
        }

        private static String requireTool(String value, String what) {
            requireNonNull(value, what);
            requireArgument(
                    !value.isBlank() && value.chars().noneMatch(c -> c < ' '),
                    "%s must be a command or a path: '%s'",
                    what,
                    escape(value));
            return value.strip();
        }
    }
}
