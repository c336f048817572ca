package dev.bulwark.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Counts the body bytes the application writes, through {@code getOutputStream()} and {@code getWriter()}, without
 * buffering anything: every write goes straight to the container's stream or writer. Writer output is counted in
 * bytes of the response's charset: exactly for UTF-8, ISO-8859-1 and US-ASCII, by the charset's average bytes per
 * character otherwise. A reset of the (uncommitted) buffer resets the count. One per request; not thread-safe.
 */
final class CountingResponse extends HttpServletResponseWrapper {

    private long bytes;
    private @Nullable ServletOutputStream out;
    private @Nullable PrintWriter writer;

    CountingResponse(HttpServletResponse response) {
        super(response);
    }

    /** Returns the body bytes written so far. */
    long bytes() {
        return bytes;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream o = out;
        if (o == null) {
            o = new CountingOutputStream(super.getOutputStream());
            out = o;
        }
        return o;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter w = writer;
        if (w == null) {
            PrintWriter target = super.getWriter();
            String encoding = getCharacterEncoding();
            Charset charset;
            try {
                charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            } catch (RuntimeException e) {
                charset = StandardCharsets.UTF_8;
            }
            w = new PrintWriter(new CountingWriter(target, charset), false);
            writer = w;
        }
        return w;
    }

    @Override
    public void reset() {
        super.reset();
        bytes = 0;
        out = null;
        writer = null;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        bytes = 0;
    }

    private final class CountingOutputStream extends ServletOutputStream {
        private final ServletOutputStream target;

        CountingOutputStream(ServletOutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            bytes += len;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }

        @Override
        public boolean isReady() {
            return target.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            target.setWriteListener(listener);
        }
    }

    private final class CountingWriter extends Writer {
        private final PrintWriter target;
        private final int mode; // 0: UTF-8, 1: one byte per char, 2: estimate
        private final float average;

        CountingWriter(PrintWriter target, Charset charset) {
            super(target);
            this.target = target;
            if (charset.equals(StandardCharsets.UTF_8)) {
                mode = 0;
            } else if (charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII)) {
                mode = 1;
            } else {
                mode = 2;
            }
            this.average = mode == 2 ? charset.newEncoder().averageBytesPerChar() : 1f;
        }

        private void count(char[] chars, int off, int len) {
            if (mode == 1) {
                bytes += len;
            } else if (mode == 0) {
                long n = 0;
                for (int i = off, end = off + len; i < end; i++) {
                    n += utf8(chars[i]);
                }
                bytes += n;
            } else {
                bytes += (long) Math.ceil(len * average);
            }
        }

        private void count(String s, int off, int len) {
            if (mode == 1) {
                bytes += len;
            } else if (mode == 0) {
                long n = 0;
                for (int i = off, end = off + len; i < end; i++) {
                    n += utf8(s.charAt(i));
                }
                bytes += n;
            } else {
                bytes += (long) Math.ceil(len * average);
            }
        }

        /** UTF-8 bytes of one UTF-16 unit; a surrogate pair counts 2 + 2 = 4. */
        private int utf8(char c) {
            if (c < 0x80) {
                return 1;
            }
            if (c < 0x800 || Character.isSurrogate(c)) {
                return 2;
            }
            return 3;
        }

        @Override
        public void write(int c) {
            target.write(c);
            bytes += mode == 0 ? utf8((char) c) : mode == 1 ? 1 : (long) Math.ceil(average);
        }

        @Override
        public void write(char[] buffer, int off, int len) {
            target.write(buffer, off, len);
            count(buffer, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            target.write(s, off, len);
            count(s, off, len);
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
