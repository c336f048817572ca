package dev.bulwark.core.internal;

import java.util.Locale;

/**
 * Validation helpers shared by Bulwark's modules.
 *
 * <p><b>Not part of the public API:</b> this package is unpublished and may change in any release. Stateless and safe
 * for concurrent use.
 */
public final class Checks {

    private Checks() {}

    /**
     * Throws {@link IllegalArgumentException} with a formatted message when the condition is false.
     *
     * @throws IllegalArgumentException if {@code condition} is false
     */
    public static void requireArgument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }

    /**
     * Returns the value when it is a legal HTTP field value: no control characters (CR, LF, NUL, …) and no leading or
     * trailing whitespace.
     *
     * @param setting the name of the setting, shown in the message
     * @throws IllegalArgumentException naming the setting and the escaped value otherwise
     */
    public static String requireHeaderValue(String setting, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException(setting + " must not contain control characters (CR, LF, …): '"
                        + escape(value) + "'; remove them from the configured value");
            }
            if (c > 0xff) {
                throw new IllegalArgumentException(
                        setting + " must contain only ISO-8859-1 characters: '" + escape(value) + "'");
            }
        }
        if (!value.equals(value.strip())) {
            throw new IllegalArgumentException(
                    setting + " must not start or end with whitespace: '" + escape(value) + "'");
        }
        return value;
    }

    /** Returns whether the string is a legal HTTP token (RFC 9110 section 5.6.2), as used for header names. */
    public static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isTokenChar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether the character is a {@code tchar} of RFC 9110. */
    public static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** Escapes control characters so that a bad value can be shown safely in an error message or a log line. */
    public static String escape(String value) {
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                switch (c) {
                    case '\r' -> sb.append("\\r");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    default -> sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? value : sb.toString();
    }
}
