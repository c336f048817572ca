package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The result of one probe check.
 *
 * <p>{@code error} is a short, non-sensitive description of a failure (an exception class such as {@code
 * java.net.ConnectException}, or an engine reason such as {@code timed out after 200 ms}); {@code message} is free text
 * that may name hosts, users or SQL states and is shown only when details are enabled ({@link HealthDetails#ALWAYS});
 * so are the {@code details}. Details hold at most {@value #MAX_DETAILS} entries whose values are strings, numbers or
 * booleans (anything else is written with {@code String.valueOf}).
 *
 * <p>Probes create results with the factories ({@link #up()}, {@link #down(String)}, {@link #down(Throwable)} …); the
 * engine stamps {@code duration} and {@code time} with {@link #withTiming(Duration, Instant)}. Instances are immutable
 * and safe for concurrent use.
 *
 * @param status the status
 * @param error a short, non-sensitive failure description, or {@code null}
 * @param message a free-text message (possibly sensitive), or {@code null}
 * @param details diagnostic values, in insertion order (unmodifiable)
 * @param duration how long the check took ({@link Duration#ZERO} until stamped by the engine)
 * @param time when the check finished ({@link Instant#EPOCH} until stamped by the engine)
 */
public record ProbeResult(
        Status status,
        @Nullable String error,
        @Nullable String message,
        Map<String, Object> details,
        Duration duration,
        Instant time) {

    /** The maximum number of detail entries. */
    public static final int MAX_DETAILS = 32;

    /**
     * Creates a result and copies the details.
     *
     * @throws IllegalArgumentException if there are more than {@value #MAX_DETAILS} details or the duration is
     *     negative
     */
    public ProbeResult {
        requireNonNull(status, "status");
        requireNonNull(details, "details");
        requireNonNull(duration, "duration");
        requireNonNull(time, "time");
        requireArgument(
                details.size() <= MAX_DETAILS,
                "probe details must have at most %s entries: %s",
                MAX_DETAILS,
                details.size());
        requireArgument(!duration.isNegative(), "probe duration must not be negative: %s", duration);
        for (Map.Entry<String, Object> e : details.entrySet()) {
            requireNonNull(e.getKey(), "details key");
            requireNonNull(e.getValue(), "details value");
        }
        details = details.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Returns {@link Status#UP} without details. */
    public static ProbeResult up() {
        return of(Status.UP, null, Map.of());
    }

    /** Returns {@link Status#UP} with details. */
    public static ProbeResult up(Map<String, ?> details) {
        return of(Status.UP, null, details);
    }

    /** Returns {@link Status#WARN} with a message. */
    public static ProbeResult warn(String message) {
        return of(Status.WARN, requireNonNull(message, "message"), Map.of());
    }

    /** Returns {@link Status#WARN} with a message and details. */
    public static ProbeResult warn(String message, Map<String, ?> details) {
        return of(Status.WARN, requireNonNull(message, "message"), details);
    }

    /** Returns {@link Status#DOWN} with a message. */
    public static ProbeResult down(String message) {
        return of(Status.DOWN, requireNonNull(message, "message"), Map.of());
    }

    /** Returns {@link Status#DOWN} with a message and details. */
    public static ProbeResult down(String message, Map<String, ?> details) {
        return of(Status.DOWN, requireNonNull(message, "message"), details);
    }

    /**
     * Returns {@link Status#DOWN} for an exception: {@code error} is the exception's class name, {@code message} its
     * message (if any).
     */
    public static ProbeResult down(Throwable failure) {
        requireNonNull(failure, "failure");
        return new ProbeResult(
                Status.DOWN,
                failure.getClass().getName(),
                failure.getMessage(),
                Map.of(),
                Duration.ZERO,
                Instant.EPOCH);
    }

    /** Returns a result with the given status, message and details. */
    public static ProbeResult of(Status status, @Nullable String message, Map<String, ?> details) {
        requireNonNull(status, "status");
        requireNonNull(details, "details");
        Map<String, Object> copy = new LinkedHashMap<>(details);
        return new ProbeResult(status, null, message, copy, Duration.ZERO, Instant.EPOCH);
    }

    /** Returns a copy with the given duration and time. */
    public ProbeResult withTiming(Duration duration, Instant time) {
        return new ProbeResult(status, error, message, details, duration, time);
    }

    /** Returns a copy with the given status. */
    public ProbeResult withStatus(Status status) {
        return status == this.status ? this : new ProbeResult(status, error, message, details, duration, time);
    }

    /** Returns a copy with the given short error description. */
    public ProbeResult withError(@Nullable String error) {
        return new ProbeResult(status, error, message, details, duration, time);
    }

    /**
     * Returns a one-line description for logs: the message if present, else the error, else the status in lower case;
     * a leading capital is lowered ({@code Connection refused} becomes {@code connection refused}).
     */
    public String describe() {
        String text = message != null && !message.isBlank() ? message : error != null ? error : status.healthJson();
        text = HealthText.oneLine(text, 300);
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            text = Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }
}
