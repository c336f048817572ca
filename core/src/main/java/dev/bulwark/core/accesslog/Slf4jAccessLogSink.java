package dev.bulwark.core.accesslog;

import org.slf4j.Logger;

/** Writes lines to an SLF4J logger at {@code INFO}. Thread-safe. */
final class Slf4jAccessLogSink implements AccessLogSink {

    private final Logger logger;

    Slf4jAccessLogSink(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void write(String line) {
        logger.info(line);
    }

    @Override
    public boolean isEnabled() {
        return logger.isInfoEnabled();
    }

    @Override
    public String toString() {
        return "AccessLogSink.slf4j(" + logger.getName() + ")";
    }
}
