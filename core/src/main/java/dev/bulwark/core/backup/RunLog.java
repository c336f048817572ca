package dev.bulwark.core.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The log of one run: lines {@code 2026-01-01 02:00:00Z - message} (the seed's format, in UTC) in {@code
 * logs/backup_YYYYMMDD_HHMMSS.log}, echoed to a {@link LogSink}. Writing the file is best effort: a full disk must not
 * hide the real error, so a failed write stops file logging and is reported once. Thread-safe (the child's standard
 * error is logged from another thread).
 */
final class RunLog implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'", Locale.ROOT);

    private final LogSink sink;
    private final Supplier<java.time.Instant> clock;
    private @Nullable BufferedWriter writer;
    private final @Nullable Path file;

    private RunLog(
            LogSink sink, Supplier<java.time.Instant> clock, @Nullable BufferedWriter writer, @Nullable Path file) {
        this.sink = sink;
        this.clock = clock;
        this.writer = writer;
        this.file = file;
    }

    /** Opens a log file in the directory, or logs to the sink only when that fails. */
    static RunLog open(@Nullable Path file, LogSink sink, Supplier<java.time.Instant> clock) {
        if (file == null) {
            return new RunLog(sink, clock, null, null);
        }
        try {
            Files.createDirectories(file.getParent());
            BufferedWriter w = Files.newBufferedWriter(
                    file,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new RunLog(sink, clock, w, file);
        } catch (IOException | RuntimeException e) {
            sink.log(LogSink.Level.WARN, "cannot write the run log " + file + ": " + e.getMessage());
            return new RunLog(sink, clock, null, null);
        }
    }

    /** Returns the log file, or {@code null} if it could not be written. */
    @Nullable
    Path file() {
        return file;
    }

    void info(String message) {
        write(LogSink.Level.INFO, message, message);
    }

    void warn(String message) {
        write(LogSink.Level.WARN, message, "WARNING: " + message);
    }

    void error(String message) {
        write(LogSink.Level.ERROR, message, "ERROR: " + message);
    }

    /** Logs a line of a child's standard error: to the file, and at debug level to the sink. */
    void child(String tool, String line) {
        write(LogSink.Level.DEBUG, tool + ": " + line, tool + ": " + line);
    }

    private synchronized void write(LogSink.Level level, String sinkMessage, String fileMessage) {
        sink.log(level, sinkMessage);
        BufferedWriter w = writer;
        if (w == null) {
            return;
        }
        try {
            w.write(TIME.format(LocalDateTime.ofInstant(clock.get(), ZoneOffset.UTC)) + " - " + fileMessage);
            w.newLine();
            w.flush();
        } catch (IOException e) {
            writer = null;
            closeQuietly(w);
            sink.log(LogSink.Level.WARN, "stopped writing the run log " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        BufferedWriter w = writer;
        writer = null;
        if (w != null) {
            closeQuietly(w);
        }
    }

    private static void closeQuietly(BufferedWriter w) {
        try {
            w.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
