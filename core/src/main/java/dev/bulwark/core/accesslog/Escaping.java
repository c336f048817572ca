package dev.bulwark.core.accesslog;

/**
 * Escapes values for log lines, so that no value can forge a line or a field: control characters (CR and LF
 * included), DEL, C1 controls and the Unicode line and paragraph separators never reach the log unescaped, nor do
 * quotes or backslashes. Stateless.
 */
final class Escaping {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Escaping() {}

    private static boolean special(char c) {
        return c < 0x20 || c == '"' || c == '\\' || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    /**
     * Appends a value for a text format (Apache/nginx style): {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code
     * \t}, and {@code \xHH} (or a Unicode escape above U+00FF) for other control characters.
     */
    static void appendText(StringBuilder out, String value) {
        int n = value.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (!special(c)) {
                continue;
            }
            out.append(value, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c <= 0xff) {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        appendUnicode(out, c);
                    }
                }
            }
        }
        out.append(value, start, n);
    }

    /** Appends a JSON string literal, quotes included (RFC 8259 section 7, plus U+007F–U+009F and U+2028/9). */
    static void appendJson(StringBuilder out, String value) {
        out.append('"');
        int n = value.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (!special(c)) {
                continue;
            }
            out.append(value, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> appendUnicode(out, c);
            }
        }
        out.append(value, start, n).append('"');
    }

    private static void appendUnicode(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
