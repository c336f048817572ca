package dev.bulwark.core.ratelimit.redis;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What the store logs while a test acts: slf4j-simple, this module's test binding, writes every line to the current
 * {@code System.err}, so it is copied (and still passed through) for the duration of the action, then restored.
 */
final class TestLog {

    private TestLog() {}

    /** Runs the action and returns its result with everything logged meanwhile. */
    static <T> Logged<T> during(Supplier<T> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        original.write(b);
                        synchronized (copy) {
                            copy.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        original.write(bytes, offset, length);
                        synchronized (copy) {
                            copy.write(bytes, offset, length);
                        }
                    }
                },
                true,
                StandardCharsets.UTF_8);
        System.setErr(tee);
        try {
            T result = action.get();
            tee.flush();
            synchronized (copy) {
                return new Logged<>(result, copy.toString(StandardCharsets.UTF_8));
            }
        } finally {
            System.setErr(original);
        }
    }

    /** An action's result and the log lines written while it ran. */
    record Logged<T>(T result, String log) {}
}
