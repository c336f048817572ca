package dev.bulwark.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} data as the WHATWG URL standard (section 5.1) does: sequences
 * between {@code &}, name and value split at the first {@code =}, {@code +} as a space, {@code %XX} decoded (a
 * malformed escape is kept literally), empty sequences skipped. Streams its input; only the decoded fields are held.
 * Not thread-safe; one per parse.
 */
final class FormParser {

    private final Charset charset;
    private final Map<String, List<String>> into;
    private final ByteArrayOutputStream name = new ByteArrayOutputStream();
    private final ByteArrayOutputStream value = new ByteArrayOutputStream();
    private boolean inValue;
    private boolean any;
    private int escape; // 0: none, 1: after '%', 2: after '%' and one hex digit
    private int firstHex;

    private FormParser(Charset charset, Map<String, List<String>> into) {
        this.charset = charset;
        this.into = into;
    }

    /** Parses a query string (its characters as UTF-8 bytes) into the map, in order. */
    static void parse(String encoded, Charset charset, Map<String, List<String>> into) {
        FormParser parser = new FormParser(charset, into);
        byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        parser.finish();
    }

    /** Parses a stream to its end into the map, in order. */
    static void parse(InputStream in, Charset charset, Map<String, List<String>> into) throws IOException {
        FormParser parser = new FormParser(charset, into);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            parser.feed(buffer, 0, n);
        }
        parser.finish();
    }

    private void feed(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (escape > 0) {
                int hex = Character.digit((char) (c & 0xff), 16);
                if (hex >= 0 && escape == 1) {
                    firstHex = hex;
                    escape = 2;
                    continue;
                }
                if (hex >= 0) {
                    target().write((firstHex << 4) | hex);
                    escape = 0;
                    continue;
                }
                // malformed: keep what was read literally, then handle this byte normally
                flushEscape();
            }
            switch (c) {
                case '&' -> emit();
                case '=' -> {
                    any = true;
                    if (inValue) {
                        value.write('=');
                    } else {
                        inValue = true;
                    }
                }
                case '+' -> {
                    any = true;
                    target().write(' ');
                }
                case '%' -> {
                    any = true;
                    escape = 1;
                }
                default -> {
                    any = true;
                    target().write(c);
                }
            }
        }
    }

    private void flushEscape() {
        target().write('%');
        if (escape == 2) {
            target().write(Character.forDigit(firstHex, 16));
        }
        escape = 0;
    }

    private ByteArrayOutputStream target() {
        return inValue ? value : name;
    }

    private void emit() {
        if (escape > 0) {
            flushEscape();
        }
        if (any) {
            into.computeIfAbsent(name.toString(charset), k -> new ArrayList<>(1))
                    .add(value.toString(charset));
        }
        name.reset();
        value.reset();
        inValue = false;
        any = false;
    }

    private void finish() {
        emit();
    }
}
