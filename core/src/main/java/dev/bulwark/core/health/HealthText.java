package dev.bulwark.core.health;

import java.time.Duration;
import java.util.Locale;

/** Text helpers for health messages and logs: bounded one-line text and durations. Stateless; thread-safe. */
final class HealthText {

    private HealthText() {}

    /** Replaces control characters with spaces, trims, and cuts the text to {@code max} characters. */
    static String oneLine(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && sb.length() <= max; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        String s = sb.toString().strip();
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }

    /** Formats a duration for messages: {@code 200 ms}, {@code 1.5 s}, {@code 2 min 21 s}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }

    /** Formats a duration in seconds with one decimal, as in {@code next in 7.4s}. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toNanos() / 1e9);
    }

    /**
     * Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, a plain number of milliseconds, or ISO-8601 ({@code
     * PT5S}).
     *
     * @throws IllegalArgumentException if the value is none of these
     */
    static Duration parseDuration(String value) {
        String v = value.strip();
        if (v.length() > 2 && (v.charAt(0) == 'P' || v.charAt(0) == 'p')) {
            try {
                return Duration.parse(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid duration: '" + value + "'", e);
            }
        }
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12) {
            throw new IllegalArgumentException(
                    "invalid duration: '" + value + "'; use a number with a unit such as 500ms, 5s or 1m");
        }
        long n = Long.parseLong(v.substring(0, i));
        String unit = v.substring(i).strip().toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "", "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default ->
                throw new IllegalArgumentException(
                        "invalid duration: '" + value + "'; use a number with a unit such as 500ms, 5s or 1m");
        };
    }

    /** Returns whether the name is a valid probe or group name: 1-64 of {@code A-Z a-z 0-9 . _ -}, starting alnum. */
    static boolean isValidName(String name) {
        if (name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }
}
