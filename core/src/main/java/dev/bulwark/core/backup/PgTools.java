package dev.bulwark.core.backup;

import dev.bulwark.core.backup.BackupException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs the PostgreSQL client tools as child processes and turns their failures into {@link BackupException}s with
 * clear messages. Stateless and safe for concurrent use.
 */
final class PgTools {

    /** The install hint shown when a tool is missing. */
    static final String INSTALL_HINT = "install the PostgreSQL client tools (Debian/Ubuntu: apt-get install"
            + " postgresql-client; Alpine: apk add postgresql-client; RHEL/Fedora: dnf install postgresql)";

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");
    private static final Pattern MISMATCH = Pattern.compile("server version: ([^;\\n]+); (\\S+) version: ([^\\n]+)");
    private static final int STDERR_TAIL_LINES = 40;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bulwark-backup-watchdog");
        t.setDaemon(true);
        return t;
    });

    private PgTools() {}

    /** The result of a child process. */
    record Exec(int exitCode, String stderr) {

        /**
         * Returns the lines of standard error that say what went wrong: the last one carrying {@code error:} or
         * {@code FATAL:} with the {@code detail:} and {@code hint:} lines after it, else the last non-blank line, else
         * {@code no output}.
         */
        String lastLine() {
            String[] lines = stderr.strip().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].contains("error:") || lines[i].contains("FATAL:")) {
                    StringBuilder sb = new StringBuilder(lines[i].strip());
                    for (int j = i + 1; j < lines.length; j++) {
                        String l = lines[j].strip();
                        if (l.contains("detail:")
                                || l.contains("hint:")
                                || l.startsWith("DETAIL:")
                                || l.startsWith("HINT:")) {
                            sb.append("; ").append(l);
                        }
                    }
                    return sb.toString();
                }
            }
            String last = lines[lines.length - 1].strip();
            return last.isEmpty() ? "no output" : last;
        }
    }

    /** Reads a child's standard output. */
    interface StdoutHandler {
        void handle(InputStream in) throws IOException;
    }

    /** Returns a handler that keeps the first {@code limit} characters of standard output and drains the rest. */
    static StdoutHandler collect(StringBuilder into, int limit) {
        return in -> {
            into.append(new String(in.readNBytes(limit), StandardCharsets.UTF_8));
            in.transferTo(OutputStream.nullOutputStream());
        };
    }

    /** A client tool's version, such as {@code 15.18} (major {@code 15}). */
    record Version(int major, String text) {
        static Version ofServerNum(int num, String text) {
            return new Version(num >= 100_000 ? num / 10_000 : num / 100, text);
        }
    }

    /**
     * Returns {@code name} next to {@code pgDump} when that is a path and the file exists there, else {@code name}
     * (looked up on the PATH).
     */
    static String sibling(String pgDump, String name) {
        if (pgDump.indexOf('/') < 0 && pgDump.indexOf('\\') < 0) {
            return name;
        }
        try {
            Path p = Path.of(pgDump).resolveSibling(name);
            return Files.isExecutable(p) ? p.toString() : name;
        } catch (RuntimeException e) {
            return name;
        }
    }

    /**
     * Runs {@code tool --version}.
     *
     * @throws BackupException {@link Reason#CLIENT_MISSING} if the tool cannot be run
     */
    static Version version(String tool, String displayName, Duration timeout) {
        StringBuilder out = new StringBuilder();
        Exec exec;
        try {
            exec = run(displayName, List.of(tool, "--version"), Map.of(), timeout, collect(out, 4096), line -> {});
        } catch (IOException e) {
            throw new BackupException(Reason.IO_ERROR, displayName + " --version failed: " + e.getMessage(), e);
        }
        Matcher m = VERSION.matcher(out);
        if (exec.exitCode() != 0 || !m.find()) {
            String said = exec.stderr().isBlank() ? out.toString().strip() : exec.lastLine();
            throw new BackupException(
                    Reason.CLIENT_MISSING,
                    displayName + " at '" + tool + "' does not work ("
                            + (said.isEmpty() ? "exit status " + exec.exitCode() : said) + "): " + INSTALL_HINT
                            + ", or set the " + displayName + " path");
        }
        String text = m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
        // 9.6 counts as major 9, as Version.ofServerNum(90624) does
        return new Version(Integer.parseInt(m.group(1)), text);
    }

    /**
     * Runs a child process and waits for it.
     *
     * @param displayName the tool's name for messages ({@code pg_dump})
     * @param stdout reads standard output on the calling thread, or {@code null} to discard it
     * @param stderrLines receives each line of standard error (on another thread)
     * @throws IOException when {@code stdout} fails (the child is then stopped)
     * @throws BackupException {@link Reason#CLIENT_MISSING}, {@link Reason#TIMEOUT} or {@link Reason#INTERRUPTED}
     */
    static Exec run(
            String displayName,
            List<String> command,
            Map<String, String> env,
            Duration timeout,
            @Nullable StdoutHandler stdout,
            Consumer<String> stderrLines)
            throws IOException {
        return run(displayName, command, env, timeout, null, stdout, stderrLines);
    }

    /**
     * Runs a child process, writing its standard input from {@code stdin} on the calling thread.
     *
     * @param stdin writes standard input; the stream is closed afterwards; {@code null} for none
     */
    static Exec run(
            String displayName,
            List<String> command,
            Map<String, String> env,
            Duration timeout,
            @Nullable StdinWriter stdin,
            @Nullable StdoutHandler stdout,
            Consumer<String> stderrLines)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> environment = pb.environment();
        environment.keySet().removeAll(PostgresConnection.LIBPQ_VARIABLES);
        environment.putAll(env);
        // English messages, so that failures can be recognised; harmless for non-interactive tools
        environment.put("LC_ALL", "C");
        environment.remove("LANGUAGE");
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw missing(displayName, command.get(0), e);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(
                () -> {
                    timedOut.set(true);
                    process.destroy();
                    WATCHDOG.schedule(process::destroyForcibly, 5, TimeUnit.SECONDS);
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        Deque<String> tail = new ArrayDeque<>();
        Thread errReader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            synchronized (tail) {
                                tail.addLast(line);
                                if (tail.size() > STDERR_TAIL_LINES) {
                                    tail.removeFirst();
                                }
                            }
                            try {
                                stderrLines.accept(line);
                            } catch (RuntimeException ignored) {
                                // logging must not stop the drain, or the child would block on a full pipe
                            }
                        }
                    } catch (IOException ignored) {
                        // the child is gone
                    }
                },
                "bulwark-backup-stderr");
        errReader.setDaemon(true);
        errReader.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    stdin.write(in);
                }
            } catch (IOException e) {
                // the child closed its input early (it failed, or does not read it): its exit status tells
            }
            if (stdout != null) {
                try (InputStream out = process.getInputStream()) {
                    stdout.handle(out);
                } catch (IOException e) {
                    process.destroyForcibly();
                    waitQuietly(process);
                    throw e;
                }
            }
            int exit = process.waitFor();
            errReader.join(5_000);
            if (timedOut.get()) {
                throw new BackupException(
                        Reason.TIMEOUT,
                        displayName + " did not finish within " + BackupJob.human(timeout)
                                + " and was stopped; raise the backup timeout or check the database's load");
            }
            String stderr;
            synchronized (tail) {
                stderr = String.join("\n", tail);
            }
            return new Exec(exit, stderr);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackupException(Reason.INTERRUPTED, displayName + " was interrupted and stopped", e);
        } finally {
            watchdog.cancel(false);
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Writes a child's standard input. */
    interface StdinWriter {
        void write(OutputStream out) throws IOException;
    }

    private static void waitQuietly(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the failure for a tool that could not be started. */
    static BackupException missing(String displayName, String tool, IOException e) {
        String msg = String.valueOf(e.getMessage());
        boolean isPath = tool.indexOf('/') >= 0 || tool.indexOf('\\') >= 0;
        if (msg.contains("error=2,") || msg.contains("No such file")) {
            String where = isPath ? "not found at " + tool : "not found on the PATH";
            return new BackupException(
                    Reason.CLIENT_MISSING,
                    displayName + " " + where + ": " + INSTALL_HINT + ", or set the " + displayName + " path",
                    e);
        }
        if (msg.contains("error=13,") || msg.contains("Permission denied")) {
            return new BackupException(
                    Reason.CLIENT_MISSING,
                    displayName + " at '" + tool + "' is not executable: chmod +x it, or " + INSTALL_HINT,
                    e);
        }
        return new BackupException(Reason.CLIENT_MISSING, displayName + " cannot be started: " + msg, e);
    }

    /**
     * Returns the failure for a tool that exited with a non-zero status, recognising a version mismatch, an
     * authentication failure, a lost or refused connection and a full disk in its standard error.
     *
     * @param doing what the tool was doing, for the message ({@code dump of app@db:5432/app})
     */
    static BackupException failure(
            String displayName, Exec exec, PostgresConnection c, String doing, Reason otherwise) {
        String err = exec.stderr();
        String lower = err.toLowerCase(Locale.ROOT);
        Matcher mismatch = MISMATCH.matcher(err);
        if (lower.contains("server version mismatch") || mismatch.find()) {
            String server = "";
            String client = "";
            if (mismatch.find(0)) {
                server = mismatch.group(1).strip();
                client = mismatch.group(3).strip();
            }
            return versionMismatch(displayName, server, client);
        }
        if (lower.contains("password authentication failed")
                || lower.contains("no password supplied")
                || lower.contains("authentication failed")
                || lower.contains("pg_hba.conf")
                || (lower.contains("role \"") && lower.contains("does not exist"))) {
            return new BackupException(
                    Reason.AUTHENTICATION,
                    "authentication failed for user '" + (c.user() == null ? "(default)" : c.user()) + "' at "
                            + c.host() + ":" + c.port() + ": check the password (PGPASSWORD, bulwark.backup.password"
                            + " or ~/.pgpass) and the server's pg_hba.conf; " + displayName + " said: "
                            + exec.lastLine());
        }
        if (lower.contains("no space left on device") || lower.contains("disk full")) {
            return diskFull(doing, null);
        }
        if (lower.contains("database \"") && lower.contains("does not exist")) {
            return new BackupException(
                    Reason.CONNECTION,
                    "database '" + c.database() + "' does not exist on " + c.host() + ":" + c.port()
                            + ": check the database name (PGDATABASE or the URL)");
        }
        if (lower.contains("could not connect")
                || lower.contains("connection refused")
                || lower.contains("could not translate host name")
                || lower.contains("timeout expired")
                || lower.contains("connection to server")
                || lower.contains("server closed the connection")
                || lower.contains("terminating connection")
                || lower.contains("the database system is shutting down")
                || lower.contains("the database system is starting up")
                || lower.contains("connection to database") && lower.contains("failed")) {
            return new BackupException(
                    Reason.CONNECTION,
                    "connection to " + c.host() + ":" + c.port() + " failed during the " + doing + ": "
                            + exec.lastLine());
        }
        return new BackupException(
                otherwise,
                displayName + " failed (exit status " + exec.exitCode() + ") during the " + doing + ": "
                        + exec.lastLine());
    }

    static BackupException versionMismatch(String displayName, String server, String client) {
        String major = server.replaceAll("^(\\d+).*$", "$1");
        String need = major.matches("\\d+") ? " " + major : "";
        return new BackupException(
                Reason.VERSION_MISMATCH,
                "PostgreSQL server " + (server.isEmpty() ? "" : server + " ") + "is newer than " + displayName
                        + (client.isEmpty() ? "" : " " + client)
                        + ", which refuses to dump a newer server: install the client tools of version" + need
                        + " or newer (Debian/Ubuntu: postgresql-client" + (need.isEmpty() ? "" : "-" + major)
                        + " from apt.postgresql.org) and point the pg_dump path at them");
    }

    static BackupException diskFull(String doing, @Nullable Throwable cause) {
        return new BackupException(
                Reason.DISK_FULL,
                "disk full: no space left on device during the " + doing
                        + "; free space or move the backup directory to a larger volume (old backups were kept)",
                cause);
    }

    /** Returns whether an exception (or a cause) says the disk is full. */
    static boolean isDiskFull(@Nullable Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
