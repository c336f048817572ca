package dev.bulwark.core.accesslog;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: which requests get a line, in which {@link AccessLogFormat}, written to which {@link
 * AccessLogSink}.
 *
 * <p>Defaults ({@link #defaults()}): the {@code combined} format in the system's zone, the SLF4J logger {@value
 * AccessLogSink#DEFAULT_LOGGER} at {@code INFO}, health endpoints ({@code /health/**}, {@code /actuator/health/**})
 * excluded, every request logged. With a sample rate below 1, that fraction of successful requests is logged at
 * random; responses with a status of 400 or more are always logged, so sampling never hides an error or a
 * rejection.
 *
 * <pre>{@code
 * AccessLog log = AccessLog.builder().format("gunicorn").sampleRate(0.1).build();
 * }</pre>
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe. A failing sink is logged once
 * (on this class's logger) and never fails a request.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final int MAX_RETAINED_BUFFER = 4096;
    private static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(512));

    /** The paths excluded by default: health endpoints, which probes call every few seconds. */
    public static final List<String> DEFAULT_EXCLUDED_PATHS = List.of("/health/**", "/actuator/health/**");

    private final AccessLogFormat format;
    private final List<PathPattern> excludedPaths;
    private final double sampleRate;
    private final AccessLogSink sink;
    private volatile boolean sinkFailureLogged;

    private AccessLog(Builder b) {
        this.format = b.format;
        this.excludedPaths = List.copyOf(b.excludedPaths);
        this.sampleRate = b.sampleRate;
        this.sink = b.sink;
    }

    /** Returns the default access log described in the class documentation. */
    public static AccessLog defaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns whether requests to this path (within the application) are never logged. */
    public boolean isExcluded(String path) {
        return !excludedPaths.isEmpty() && PathPattern.anyMatches(excludedPaths, path);
    }

    /** Returns whether lines would be written at all (the sink is enabled), so an adapter can skip its work. */
    public boolean isEnabled() {
        return sink.isEnabled();
    }

    /**
     * Formats and writes the line for a completed request, unless sampling skips it. Never throws.
     *
     * @return whether a line was written
     */
    public boolean log(AccessLogEntry entry) {
        if (sampleRate < 1.0
                && entry.status() < 400
                && ThreadLocalRandom.current().nextDouble() >= sampleRate) {
            return false;
        }
        if (!sink.isEnabled()) {
            return false;
        }
        StringBuilder sb = BUFFER.get();
        sb.setLength(0);
        try {
            format.format(entry, sb);
            sink.write(sb.toString());
            return true;
        } catch (RuntimeException e) {
            if (!sinkFailureLogged) {
                sinkFailureLogged = true;
                LOG.warn("access log sink {} failed; requests are unaffected (logged once)", sink, e);
            }
            return false;
        } finally {
            if (sb.capacity() > MAX_RETAINED_BUFFER) {
                BUFFER.remove();
            }
        }
    }

    /** Returns the format. Default {@code combined}. */
    public AccessLogFormat format() {
        return format;
    }

    /** Returns the excluded path patterns. */
    public List<PathPattern> excludedPaths() {
        return excludedPaths;
    }

    /** Returns the fraction of successful requests logged, between 0 and 1. Default 1. */
    public double sampleRate() {
        return sampleRate;
    }

    /** Returns the sink. */
    public AccessLogSink sink() {
        return sink;
    }

    @Override
    public String toString() {
        return "AccessLog[" + format + ", excluded=" + excludedPaths + ", sampleRate=" + sampleRate + ", " + sink + "]";
    }

    /** Builds an {@link AccessLog}. Not thread-safe; {@link #build()} leaves the builder reusable. */
    public static final class Builder {
        private AccessLogFormat format = AccessLogFormat.of("combined");
        private final List<PathPattern> excludedPaths = new ArrayList<>(PathPattern.listOf(DEFAULT_EXCLUDED_PATHS));
        private double sampleRate = 1.0;
        private AccessLogSink sink = AccessLogSink.slf4j();

        private Builder() {}

        /**
         * Sets the format by preset name or pattern, keeping the current zone; see {@link AccessLogFormat}. Default
         * {@code combined}.
         *
         * @throws IllegalArgumentException if the pattern is invalid
         */
        public Builder format(String formatOrPattern) {
            this.format = AccessLogFormat.of(formatOrPattern, format.zone());
            return this;
        }

        /** Sets the format. */
        public Builder format(AccessLogFormat format) {
            this.format = requireNonNull(format, "format");
            return this;
        }

        /** Sets the zone times are rendered in. Default: the system's default zone. */
        public Builder zone(ZoneId zone) {
            this.format = format.withZone(requireNonNull(zone, "zone"));
            return this;
        }

        /** Adds excluded path patterns ({@link PathPattern} syntax), beside the default health endpoints. */
        public Builder excludePaths(Collection<String> patterns) {
            requireNonNull(patterns, "patterns");
            excludedPaths.addAll(PathPattern.listOf(patterns));
            return this;
        }

        /** Removes every excluded path, the default health endpoints included. */
        public Builder clearExcludedPaths() {
            excludedPaths.clear();
            return this;
        }

        /**
         * Sets the fraction of successful (status below 400) requests to log; errors are always logged. Default 1.
         *
         * @throws IllegalArgumentException if not between 0 and 1
         */
        public Builder sampleRate(double rate) {
            requireArgument(rate >= 0.0 && rate <= 1.0, "access log sample rate must be between 0 and 1: %s", rate);
            this.sampleRate = rate;
            return this;
        }

        /** Sets where lines go. Default {@link AccessLogSink#slf4j()}. */
        public Builder sink(AccessLogSink sink) {
            this.sink = requireNonNull(sink, "sink");
            return this;
        }

        /** Builds the access log. */
        public AccessLog build() {
            return new AccessLog(this);
        }
    }
}
