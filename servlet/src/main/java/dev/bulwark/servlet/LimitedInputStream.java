package dev.bulwark.servlet;

import dev.bulwark.core.limits.BodyCounter;
import dev.bulwark.core.limits.LimitDecision;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The request body as the application reads it, counted by a {@link BodyCounter}: the chunk that breaks a limit is
 * never handed over; instead {@link LimitedRequest#onViolation} answers the client and the read throws {@link
 * RequestLimitExceededException}. Nothing is buffered. Not thread-safe (the servlet API reads a body from one thread
 * at a time).
 */
final class LimitedInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final BodyCounter counter;
    private final LimitedRequest owner;

    LimitedInputStream(ServletInputStream in, BodyCounter counter, LimitedRequest owner) {
        this.in = in;
        this.counter = counter;
        this.owner = owner;
    }

    BodyCounter counter() {
        return counter;
    }

    private void fail(LimitDecision decision) throws RequestLimitExceededException {
        owner.onViolation(decision);
        throw new RequestLimitExceededException(decision);
    }

    @Override
    public int read() throws IOException {
        if (counter.violation().rejected()) {
            fail(counter.violation());
        }
        int b = in.read();
        if (b >= 0) {
            LimitDecision decision = counter.add(b);
            if (decision.rejected()) {
                fail(decision);
            }
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (counter.violation().rejected()) {
            fail(counter.violation());
        }
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            LimitDecision decision = counter.add(buffer, offset, n);
            if (decision.rejected()) {
                fail(decision);
            }
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
