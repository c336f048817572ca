package dev.bulwark.core.accesslog;

import static java.util.Objects.requireNonNull;

import org.slf4j.LoggerFactory;

/**
 * Where access log lines go: by default the SLF4J logger {@value #DEFAULT_LOGGER} at {@code INFO}, so the
 * application's logging configuration decides the appender (console, rolling files, JSON shipping) and whether lines
 * are written asynchronously.
 *
 * <p>Implementations must be thread-safe. {@link #write(String)} is called on request threads (or on the thread that
 * completes an asynchronous request) once per logged request, with one line that carries no line break: it should
 * not block longer than the logging backend does. {@link #isEnabled()} is asked first, so a disabled logger costs no
 * formatting.
 */
@FunctionalInterface
public interface AccessLogSink {

    /** The name of the default logger. */
    String DEFAULT_LOGGER = "bulwark.access";

    /** Writes one formatted line. */
    void write(String line);

    /** Returns whether lines would be written at all; when false, nothing is formatted. Default true. */
    default boolean isEnabled() {
        return true;
    }

    /** Returns the sink writing to the SLF4J logger {@value #DEFAULT_LOGGER} at {@code INFO}. */
    static AccessLogSink slf4j() {
        return slf4j(DEFAULT_LOGGER);
    }

    /** Returns a sink writing to the named SLF4J logger at {@code INFO}. */
    static AccessLogSink slf4j(String loggerName) {
        return new Slf4jAccessLogSink(LoggerFactory.getLogger(requireNonNull(loggerName, "loggerName")));
    }
}
