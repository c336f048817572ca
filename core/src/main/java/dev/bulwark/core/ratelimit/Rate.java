package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A rate: so many requests per window, with an optional burst capacity, parsed from the familiar text form.
 *
 * <p>Instances are immutable and safe for concurrent use. The text form is {@code <count>/<window>} where the window is
 * an optional multiplier and a unit: {@code 1000/hour}, {@code 5000/h}, {@code 10/s}, {@code 100/15m},
 * {@code 20/second}, {@code 3/2d}. Units: {@code s}, {@code sec}, {@code second(s)}; {@code m}, {@code min},
 * {@code minute(s)}; {@code h}, {@code hr}, {@code hour(s)}; {@code d}, {@code day(s)}, case-insensitive. Unlike Django
 * REST framework, which reads only the first letter, an unknown unit is an error rather than a guess.
 *
 * <p>A rate is a token bucket: it holds {@link #capacity()} tokens (the burst, by default equal to the count), and
 * refills {@link #count()} tokens per {@link #window()}, continuously ("greedy" refill in bucket4j's terms), so a
 * client that paces itself is never blocked and one that bursts gets at most the capacity at once. A burst is written
 * after the rate: {@code 10/s;burst=50}. Several rates are separated by commas: {@code 10/s,1000/hour}.
 */
public final class Rate {

    /** The longest window: one year, beyond which a "rate" is a quota this class is not meant for. */
    static final Duration MAX_WINDOW = Duration.ofDays(366);

    private static final String SYNTAX = "rate must look like 1000/hour, 10/s, 100/15m or 10/s;burst=50 "
            + "(units s, m, h, d; a count of at least 1)";

    private final long count;
    private final Duration window;
    private final long capacity;

    private Rate(long count, Duration window, long capacity) {
        this.count = count;
        this.window = window;
        this.capacity = capacity;
    }

    /**
     * Returns a rate of {@code count} requests per {@code window}, with a capacity equal to the count.
     *
     * @throws IllegalArgumentException if the count is below 1 or the window is not between 1 second and 366 days
     */
    public static Rate of(long count, Duration window) {
        requireNonNull(window, "window");
        if (count < 1) {
            throw new IllegalArgumentException("rate count must be at least 1: " + count);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(
                    "rate window must be between 1 second and 366 days: " + window.toString());
        }
        return new Rate(count, window, count);
    }

    /**
     * Returns this rate with a burst capacity: up to {@code capacity} requests at once, refilled at the same rate.
     *
     * @throws IllegalArgumentException if the capacity is below the count
     */
    public Rate withBurst(long capacity) {
        if (capacity < count) {
            throw new IllegalArgumentException(
                    "burst must be at least the rate's count (" + count + "): " + capacity + " in " + this);
        }
        return new Rate(count, window, capacity);
    }

    /**
     * Parses one rate such as {@code 1000/hour} or {@code 10/s;burst=50}.
     *
     * @throws IllegalArgumentException naming the text and the expected syntax when it is not a rate
     */
    public static Rate parse(String text) {
        requireNonNull(text, "text");
        Rate rate = tryParse(text.strip());
        if (rate == null) {
            throw new IllegalArgumentException(SYNTAX + ": '" + printable(text) + "'");
        }
        return rate;
    }

    /**
     * Parses a comma-separated list of rates such as {@code 10/s,1000/hour}; every rate applies.
     *
     * @throws IllegalArgumentException naming the offending element when one is not a rate, or when the list is empty
     */
    public static List<Rate> parseList(String text) {
        requireNonNull(text, "text");
        List<Rate> rates = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 ? text.length() : comma;
            rates.add(parse(text.substring(start, end)));
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return List.copyOf(rates);
    }

    private static @Nullable Rate tryParse(String text) {
        if (text.length() > 64) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String countText = text.substring(0, slash).strip();
        long count = parseCount(countText, 0, countText.length());
        if (count < 1) {
            return null;
        }
        int semicolon = text.indexOf(';', slash);
        int windowEnd = semicolon < 0 ? text.length() : semicolon;
        Duration window = parseWindow(text.substring(slash + 1, windowEnd).strip());
        if (window == null || window.compareTo(MAX_WINDOW) > 0) {
            return null;
        }
        Rate rate = new Rate(count, window, count);
        if (semicolon < 0) {
            return rate;
        }
        String parameter = text.substring(semicolon + 1).strip();
        if (!parameter.regionMatches(true, 0, "burst=", 0, 6)) {
            return null;
        }
        long burst = parseCount(parameter, 6, parameter.length());
        if (burst < count) {
            return null;
        }
        return rate.withBurst(burst);
    }

    /** Returns the decimal number in {@code text[start, end)}, or -1 when it is not one (at most 12 digits). */
    private static long parseCount(String text, int start, int end) {
        if (end <= start || end - start > 12) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static @Nullable Duration parseWindow(String text) {
        int unitStart = 0;
        while (unitStart < text.length() && text.charAt(unitStart) >= '0' && text.charAt(unitStart) <= '9') {
            unitStart++;
        }
        long multiplier = unitStart == 0 ? 1 : parseCount(text, 0, unitStart);
        if (multiplier < 1 || multiplier > 1_000_000) {
            return null;
        }
        long unitSeconds =
                switch (text.substring(unitStart).strip().toLowerCase(Locale.ROOT)) {
                    case "s", "sec", "second", "seconds" -> 1;
                    case "m", "min", "minute", "minutes" -> 60;
                    case "h", "hr", "hour", "hours" -> 3600;
                    case "d", "day", "days" -> 86_400;
                    default -> -1;
                };
        return unitSeconds < 0 ? null : Duration.ofSeconds(multiplier * unitSeconds);
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return dev.bulwark.core.internal.Checks.escape(cut);
    }

    /** Returns the number of requests allowed per window. */
    public long count() {
        return count;
    }

    /** Returns the window over which {@link #count()} requests are allowed. */
    public Duration window() {
        return window;
    }

    /** Returns the bucket capacity: the most requests allowed at once. Defaults to {@link #count()}. */
    public long capacity() {
        return capacity;
    }

    /** Returns the bucket4j bandwidth for this rate: capacity {@link #capacity()}, greedy refill of the count. */
    Bandwidth toBandwidth() {
        return Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(count, window)
                .initialTokens(capacity)
                .build();
    }

    /** Returns the text form, for example {@code 1000/hour}, {@code 100/15m} or {@code 10/s;burst=50}. */
    @Override
    public String toString() {
        long seconds = window.getSeconds();
        String unit;
        long multiplier;
        if (seconds % 86_400 == 0) {
            unit = seconds == 86_400 ? "day" : "d";
            multiplier = seconds / 86_400;
        } else if (seconds % 3600 == 0) {
            unit = seconds == 3600 ? "hour" : "h";
            multiplier = seconds / 3600;
        } else if (seconds % 60 == 0) {
            unit = seconds == 60 ? "minute" : "m";
            multiplier = seconds / 60;
        } else {
            unit = seconds == 1 ? "second" : "s";
            multiplier = seconds;
        }
        String text = count + "/" + (multiplier == 1 ? "" : Long.toString(multiplier)) + unit;
        return capacity == count ? text : text + ";burst=" + capacity;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Rate other
                && count == other.count
                && capacity == other.capacity
                && window.equals(other.window);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + window.hashCode() * 17 + Long.hashCode(capacity);
    }
}
