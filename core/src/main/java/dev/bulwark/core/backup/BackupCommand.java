package dev.bulwark.core.backup;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Command line for backups, for cron and CI: the same {@link BackupJob} as the in-process scheduler, with {@code
 * bulwark-core.jar} alone on the class path.
 *
 * <pre>
 * java -cp bulwark-core.jar dev.bulwark.core.backup.BackupCommand run     [options]
 * java -cp bulwark-core.jar dev.bulwark.core.backup.BackupCommand list    [--dir DIR]
 * java -cp bulwark-core.jar dev.bulwark.core.backup.BackupCommand verify  FILE
 * java -cp bulwark-core.jar dev.bulwark.core.backup.BackupCommand restore FILE --into NEW_DATABASE --yes
 * </pre>
 *
 * <p>The connection comes from the libpq variables {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code
 * PGDATABASE}, {@code PGSSLMODE}, or from {@code --url jdbc:postgresql://host:port/database?user=name}; the password
 * only from {@code PGPASSWORD} or {@code ~/.pgpass}, never from the command line (a {@code password} parameter in
 * {@code --url} is refused: any local user can read a command line). The directory comes from {@code --dir} or {@code
 * BULWARK_BACKUP_DIR}. A leading {@code backup} word is accepted ({@code … BackupCommand backup run}), so a shell alias
 * {@code backup} reads naturally.
 *
 * <p>{@code restore} creates the database named by {@code --into} and restores into it; it refuses an existing
 * database and does nothing without {@code --yes}. Exit status: 0 success, 1 failure (the message says why and how to
 * fix it), 2 usage error. Stateless; {@link #run} takes its streams and environment as arguments so that it can be
 * tested without a process.
 */
public final class BackupCommand {

    /** Exit status of a successful run. */
    public static final int OK = 0;

    /** Exit status of a failed backup, verification or restore. */
    public static final int ERROR = 1;

    /** Exit status of a usage error: unknown command, missing or invalid option. */
    public static final int USAGE = 2;

    /** The environment variable naming the backup directory when {@code --dir} is absent. */
    public static final String DIR_ENV = "BULWARK_BACKUP_DIR";

    static final String USAGE_TEXT = String.join(
            System.lineSeparator(),
            "usage: java -cp bulwark-core.jar dev.bulwark.core.backup.BackupCommand <command> [options]",
            "",
            "commands:",
            "  run                                back up now: check the connection, dump, verify, rename, prune",
            "  list                               list the backups in the directory, newest first",
            "  verify FILE                        check that a backup file is complete and readable",
            "  restore FILE --into DB --yes       create the new database DB and restore FILE into it",
            "                                     (refuses an existing database)",
            "",
            "options:",
            "  --url jdbc:postgresql://HOST:PORT/DB?user=NAME",
            "                                     the database (default: PGHOST, PGPORT, PGUSER, PGDATABASE);",
            "                                     the password comes from PGPASSWORD or ~/.pgpass only",
            "  --dir DIR                          backup directory (default: $" + DIR_ENV + ")",
            "  --log-dir DIR                      run logs (default: DIR/logs)",
            "  --format custom|plain              pg_dump -Fc (default) or plain SQL, gzipped",
            "  --keep-days N                      keep the backups of the last N days (default 7)",
            "  --keep-daily N --keep-weekly N --keep-monthly N",
            "                                     grandfather-father-son retention instead",
            "  --keep-logs-days N                 keep run logs N days (default 14)",
            "  --pg-dump PATH                     pg_dump to use; pg_restore and psql are taken from its directory",
            "  --timeout DURATION                 time limit per tool, such as 90m or 6h (default 6h)",
            "",
            "exit status: 0 success, 1 failure, 2 usage error");

    private static final Set<String> VALUE_OPTIONS = Set.of(
            "--url",
            "--dir",
            "--log-dir",
            "--format",
            "--keep-days",
            "--keep-daily",
            "--keep-weekly",
            "--keep-monthly",
            "--keep-logs-days",
            "--pg-dump",
            "--timeout",
            "--into");

    private BackupCommand() {}

    /** Runs the command with the process's streams and environment and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /**
     * Runs the command.
     *
     * @param args the command line arguments
     * @param out standard output: progress and results
     * @param err standard error: warnings, errors and usage
     * @param env the environment: libpq variables and {@value #DIR_ENV}
     * @return the exit status: {@link #OK}, {@link #ERROR} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        requireNonNull(args, "args");
        requireNonNull(out, "out");
        requireNonNull(err, "err");
        requireNonNull(env, "env");
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        boolean yes = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--yes") || a.equals("-y")) {
                yes = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE_TEXT);
                return OK;
            } else if (a.startsWith("--")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (!VALUE_OPTIONS.contains(name)) {
                    return usage(err, "unknown option " + name);
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        return usage(err, name + " needs a value");
                    }
                    value = args[++i];
                }
                if (options.put(name, value) != null) {
                    return usage(err, name + " is given twice");
                }
            } else {
                positional.add(a);
            }
        }
        if (!positional.isEmpty() && positional.get(0).equals("backup")) {
            positional.remove(0);
        }
        if (positional.isEmpty()) {
            return usage(err, "missing command");
        }
        String command = positional.remove(0);
        if (command.equals("help")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        if (!Set.of("run", "list", "verify", "restore").contains(command)) {
            return usage(err, "unknown command '" + command + "'");
        }
        int expected = command.equals("verify") || command.equals("restore") ? 1 : 0;
        if (positional.size() != expected) {
            return usage(err, command + (expected == 0 ? " takes no file" : " takes one backup file"));
        }
        if (!command.equals("restore") && (options.containsKey("--into") || yes)) {
            return usage(err, "--into and --yes belong to restore");
        }
        BackupJob job;
        Path file = null;
        try {
            if (expected == 1) {
                file = path(positional.get(0), "backup file");
            }
            job = job(command, options, env, file, out, err);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return usage(err, e.getMessage());
        }
        try {
            return switch (command) {
                case "run" -> run(job, out);
                case "list" -> list(job, out);
                case "verify" -> verify(job, requireNonNull(file), out);
                default -> restore(job, requireNonNull(file), options.get("--into"), yes, out, err);
            };
        } catch (BackupException e) {
            if (!command.equals("run")) {
                err.println("error: " + e.getMessage());
            }
            return ERROR;
        }
    }

    private static int run(BackupJob job, PrintStream out) {
        BackupResult r = job.run();
        out.println("backup written: " + r.file().path() + " ("
                + BackupJob.humanBytes(r.file().size()) + " in "
                + BackupJob.human(r.duration()) + ")"
                + (r.pruned().isEmpty() ? "" : "; pruned " + r.pruned().size() + " old file(s)"));
        return OK;
    }

    private static int list(BackupJob job, PrintStream out) {
        List<BackupFile> backups = job.list();
        if (backups.isEmpty()) {
            out.println("no backups in " + job.directory());
            return OK;
        }
        Instant now = job.timeSource().now();
        for (BackupFile f : backups) {
            out.println(String.format(
                    Locale.ROOT,
                    "%-36s %10s  %s  (%s ago)",
                    f.name(),
                    BackupJob.humanBytes(f.size()),
                    f.time(),
                    BackupJob.human(
                            Duration.between(f.time(), now).isNegative()
                                    ? Duration.ZERO
                                    : Duration.between(f.time(), now))));
        }
        out.println(backups.size() + " backup(s) in " + job.directory() + "; newest "
                + backups.get(0).name());
        return OK;
    }

    private static int verify(BackupJob job, Path file, PrintStream out) {
        job.verify(file);
        out.println("ok: " + file + " is a complete backup");
        return OK;
    }

    private static int restore(
            BackupJob job, Path file, @Nullable String into, boolean yes, PrintStream out, PrintStream err) {
        if (into == null || into.isBlank()) {
            return usage(err, "restore needs --into NEW_DATABASE: the database to create and restore into");
        }
        if (!yes) {
            err.println("error: restore would create database '" + into + "' on "
                    + job.connection().host() + ":" + job.connection().port() + " and load " + file
                    + " into it; add --yes to do it");
            return USAGE;
        }
        try {
            job.restore(file, into);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        out.println("restored " + file + " into new database '" + into + "'");
        return OK;
    }

    private static BackupJob job(
            String command,
            Map<String, String> options,
            Map<String, String> env,
            @Nullable Path file,
            PrintStream out,
            PrintStream err) {
        boolean needsDatabase = command.equals("run") || command.equals("restore");
        BackupJob.Builder b = BackupJob.builder().sink(LogSink.printing(out, err));
        b.connection(connection(options.get("--url"), env, needsDatabase));
        String dir = options.getOrDefault("--dir", env.get(DIR_ENV));
        if (dir == null || dir.isBlank()) {
            if (command.equals("run") || command.equals("list")) {
                throw new IllegalArgumentException("no backup directory: give --dir DIR or set " + DIR_ENV
                        + " (a volume that outlives the" + " server)");
            }
            Path parent = file == null ? null : file.toAbsolutePath().getParent();
            b.directory(parent != null ? parent : Path.of("."));
        } else {
            b.directory(path(dir, "--dir"));
        }
        if (options.containsKey("--log-dir")) {
            b.logDirectory(path(options.get("--log-dir"), "--log-dir"));
        }
        if (options.containsKey("--format")) {
            b.format(BackupFormat.parse(options.get("--format")));
        }
        b.retention(retention(options));
        if (options.containsKey("--keep-logs-days")) {
            b.logRetention(Duration.ofDays(number(options.get("--keep-logs-days"), "--keep-logs-days")));
        }
        if (options.containsKey("--pg-dump")) {
            b.pgDump(options.get("--pg-dump"));
        }
        if (options.containsKey("--timeout")) {
            b.timeout(parseDuration(options.get("--timeout"), "--timeout"));
        }
        return b.build();
    }

    private static PostgresConnection connection(@Nullable String url, Map<String, String> env, boolean required) {
        if (url != null) {
            if (PostgresConnection.hasPasswordParameter(url)) {
                throw new IllegalArgumentException("--url must not carry a password (any local user can read a command"
                        + " line): set PGPASSWORD or use ~/.pgpass");
            }
            PostgresConnection c = PostgresConnection.fromJdbcUrl(url);
            PostgresConnection.Builder b = c.toBuilder();
            if (c.user() == null
                    && env.get("PGUSER") != null
                    && !env.get("PGUSER").isBlank()) {
                b.user(env.get("PGUSER"));
            }
            String password = env.get("PGPASSWORD");
            if (password != null && !password.isEmpty()) {
                b.password(password);
            }
            return b.build();
        }
        try {
            return PostgresConnection.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            if (required) {
                throw e;
            }
            // list and verify do not connect
            return PostgresConnection.builder().database("postgres").build();
        }
    }

    private static RetentionPolicy retention(Map<String, String> options) {
        boolean gfs = options.containsKey("--keep-daily")
                || options.containsKey("--keep-weekly")
                || options.containsKey("--keep-monthly");
        if (gfs && options.containsKey("--keep-days")) {
            throw new IllegalArgumentException(
                    "--keep-days and --keep-daily/--keep-weekly/--keep-monthly exclude each other: choose one rule");
        }
        if (gfs) {
            return RetentionPolicy.gfs(
                    count(options, "--keep-daily"), count(options, "--keep-weekly"), count(options, "--keep-monthly"));
        }
        if (options.containsKey("--keep-days")) {
            return RetentionPolicy.days(number(options.get("--keep-days"), "--keep-days"));
        }
        return RetentionPolicy.defaults();
    }

    private static int count(Map<String, String> options, String name) {
        return options.containsKey(name) ? number(options.get(name), name) : 0;
    }

    private static int number(String value, String name) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: '" + value + "'");
        }
    }

    private static Path path(String value, String what) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " is not a valid path: " + e.getReason());
        }
    }

    /** Parses {@code 90s}, {@code 30m}, {@code 6h}, {@code 2d}, {@code 500ms} or ISO-8601 ({@code PT6H}). */
    static Duration parseDuration(String value, String name) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 90m, 6h or PT6H: '" + value + "'");
        }
    }

    private static int usage(PrintStream err, @Nullable String problem) {
        err.println("error: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
