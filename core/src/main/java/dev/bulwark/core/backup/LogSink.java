package dev.bulwark.core.backup;

/**
 * Where a run's progress lines go besides its log file: SLF4J when it is on the class path (logger {@code
 * bulwark.backup}), or a {@link java.io.PrintStream} for {@link BackupCommand}, so that the command runs with {@code
 * bulwark-core.jar} alone. Implementations are thread-safe.
 */
interface LogSink {

    /** Discards everything. */
    LogSink NONE = new LogSink() {
        @Override
        public void log(Level level, String message) {}
    };

    /** Severity of a line. */
    enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }

    /** Logs one line. */
    void log(Level level, String message);

    /** Returns SLF4J's {@code bulwark.backup} logger if SLF4J is present, else {@link #NONE}. */
    static LogSink defaultSink() {
        try {
            Class.forName("org.slf4j.LoggerFactory", false, LogSink.class.getClassLoader());
            return Slf4jLogSink.INSTANCE;
        } catch (ClassNotFoundException | LinkageError e) {
            return NONE;
        }
    }

    /** Returns a sink printing lines to a stream ({@code DEBUG} lines are dropped). */
    static LogSink printing(java.io.PrintStream out, java.io.PrintStream err) {
        return (level, message) -> {
            switch (level) {
                case DEBUG -> {}
                case INFO -> out.println(message);
                case WARN -> err.println("warning: " + message);
                case ERROR -> err.println("error: " + message);
            }
        };
    }
}
