package dev.bulwark.core.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs through SLF4J; loaded only when SLF4J is on the class path. Safe for concurrent use. */
final class Slf4jLogSink implements LogSink {

    static final Slf4jLogSink INSTANCE = new Slf4jLogSink();

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.backup");

    private Slf4jLogSink() {}

    @Override
    public void log(Level level, String message) {
        switch (level) {
            case DEBUG -> LOG.debug("{}", message);
            case INFO -> LOG.info("{}", message);
            case WARN -> LOG.warn("{}", message);
            case ERROR -> LOG.error("{}", message);
        }
    }
}
