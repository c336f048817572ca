package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.IpAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The built-in checks, and probes declared in configuration ({@link #fromSpec}).
 *
 * <p>Every check bounds its own I/O by the probe timeout it is given, and {@link HealthRegistry} bounds it again, so a
 * hung dependency answers {@link Status#DOWN} in time. Messages and details may name hosts; they are shown only with
 * {@link HealthDetails#ALWAYS}. Credentials (Redis passwords, JDBC URL user info and parameters, HTTP user info and
 * query strings) never appear in results or in {@code toString}. Stateless; every returned check is thread-safe.
 */
public final class HealthProbes {

    /** The probe types {@link #fromSpec} accepts. */
    public static final Set<String> TYPES = Set.of("tcp", "http", "jdbc", "redis", "disk");

    /** The default free-space threshold of a disk probe: 10 MB, as Spring Boot's disk space indicator. */
    public static final long DEFAULT_MIN_FREE_BYTES = 10L * 1024 * 1024;

    private static final String PREFIX = "bulwark.health.probes.";

    private HealthProbes() {}

    /**
     * Returns a check that borrows a connection and calls {@link java.sql.Connection#isValid(int)} with the probe
     * timeout (never {@code 0}, which would wait forever). When the data source is (or wraps) a started HikariCP pool,
     * the pool's saturation is reported in the details ({@code pool}, {@code pool.active}, {@code pool.idle}, {@code
     * pool.total}, {@code pool.max}, {@code pool.awaiting}), and a saturated pool is reported as {@link Status#WARN}
     * without borrowing: a borrow would queue behind the application's requests and take a connection from them.
     * HikariCP is optional; without it the check only validates a connection.
     */
    public static ProbeCheck jdbc(DataSource dataSource) {
        return jdbc(dataSource, Status.WARN);
    }

    /**
     * Returns a JDBC check as {@link #jdbc(DataSource)} that reports a saturated HikariCP pool with the given status.
     *
     * @param whenPoolSaturated {@link Status#WARN} (default: stays ready, answers 200) or {@link Status#DOWN}
     */
    public static ProbeCheck jdbc(DataSource dataSource, Status whenPoolSaturated) {
        return new JdbcCheck(requireNonNull(dataSource, "dataSource"), requireNonNull(whenPoolSaturated, "status"));
    }

    /**
     * Returns a check that sends {@code PING} to Redis over a plain socket speaking RESP (no client library).
     *
     * @param uri {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://…} for TLS
     * @throws IllegalArgumentException if the URI is not such a URI
     */
    public static ProbeCheck redis(String uri) {
        return RedisCheck.parse(requireNonNull(uri, "uri"), "redis uri");
    }

    /**
     * Returns a check that opens a TCP connection to host:port within the timeout.
     *
     * @throws IllegalArgumentException if the host is empty or the port not within 1..65535
     */
    public static ProbeCheck tcp(String host, int port) {
        requireArgument(!requireNonNull(host, "host").isBlank(), "tcp probe host must not be empty");
        requireArgument(port >= 1 && port <= 65535, "tcp probe port must be 1..65535: %s", port);
        return new NetworkChecks.Tcp(host, port);
    }

    /**
     * Returns a check that sends {@code GET} (redirects not followed); {@code 2xx} and {@code 3xx} are {@link
     * Status#UP}, anything else {@link Status#DOWN}.
     *
     * @throws IllegalArgumentException if the URI is not an absolute http or https URI with a host
     */
    public static ProbeCheck http(URI uri) {
        requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        requireArgument(
                ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null,
                "http probe uri must be an absolute http:// or https:// URL with a host: '%s'",
                escape(uri.toString()));
        return new NetworkChecks.Http(uri);
    }

    /**
     * Returns a check that is {@link Status#DOWN} when the usable space of the file store holding the path falls below
     * the threshold.
     *
     * @throws IllegalArgumentException if the threshold is negative
     */
    public static ProbeCheck diskSpace(Path path, long minFreeBytes) {
        requireNonNull(path, "path");
        requireArgument(minFreeBytes >= 0, "disk probe threshold must not be negative: %s", minFreeBytes);
        return new NetworkChecks.Disk(path, minFreeBytes);
    }

    /** Returns a check that is {@link Status#DOWN} when threads are deadlocked: process state, fit for liveness. */
    public static ProbeCheck deadlocks() {
        return NetworkChecks.Deadlocks.INSTANCE;
    }

    /**
     * Returns a probe declared in configuration ({@code bulwark.health.probes.<name>.*}), so an operator can add a
     * dependency check without code. {@code null} arguments keep the defaults (critical, {@value
     * HealthProbe#DEFAULT_TIMEOUT_MILLIS} ms, group {@code readiness}).
     *
     * <p>Targets by type: {@code tcp} {@code host:port} ({@code [::1]:5432} for IPv6); {@code http} an http(s) URL;
     * {@code jdbc} a JDBC URL (a new connection per check through {@link java.sql.DriverManager}, so put the driver's
     * connect and socket timeouts in the URL); {@code redis} a {@code redis://} or {@code rediss://} URI; {@code disk}
     * a directory, optionally with {@code ?min-free=500MB} (default {@code 10MB}).
     *
     * @param name the probe name
     * @param type {@code tcp}, {@code http}, {@code jdbc}, {@code redis} or {@code disk}
     * @param target what to check
     * @param timeout the timeout, or {@code null} for the default
     * @param critical whether a failure makes the group down, or {@code null} for {@code true}
     * @param groups the groups, or {@code null} for {@code readiness}
     * @throws IllegalArgumentException naming the property {@code bulwark.health.probes.<name>.<field>}, the value and
     *     the fix when a value is invalid
     */
    public static HealthProbe fromSpec(
            String name,
            @Nullable String type,
            @Nullable String target,
            @Nullable Duration timeout,
            @Nullable Boolean critical,
            @Nullable Collection<String> groups) {
        requireNonNull(name, "name");
        requireArgument(
                HealthText.isValidName(name) && !GroupResult.LIFECYCLE_CHECK.equals(name),
                "%s%s: the probe name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit,"
                        + " and not 'lifecycle'; rename the property",
                PREFIX,
                escape(name));
        String p = PREFIX + name + ".";
        requireArgument(
                type != null && !type.isBlank(),
                "%stype is required: set it to one of tcp, http, jdbc, redis, disk",
                p);
        String t = type.strip().toLowerCase(Locale.ROOT);
        requireArgument(TYPES.contains(t), "%stype must be one of tcp, http, jdbc, redis, disk: '%s'", p, escape(type));
        requireArgument(
                target != null && !target.isBlank(),
                "%starget is required for a %s probe, such as %s",
                p,
                t,
                example(t));
        String v = target.strip();
        ProbeCheck check =
                switch (t) {
                    case "tcp" -> tcpSpec(v, p);
                    case "http" -> httpSpec(v, p);
                    case "jdbc" -> jdbcSpec(v, p);
                    case "redis" -> RedisCheck.parse(v, p + "target");
                    default -> diskSpec(v, p);
                };
        HealthProbe.Builder builder = HealthProbe.builder(name, check);
        if (timeout != null) {
            requireArgument(
                    timeout.compareTo(Duration.ofMillis(1)) >= 0 && timeout.compareTo(Duration.ofMinutes(5)) <= 0,
                    "%stimeout must be between 1ms and 5m: %s; Kubernetes gives a probe 1s by default",
                    p,
                    timeout);
            builder.timeout(timeout);
        }
        if (critical != null) {
            builder.critical(critical);
        }
        if (groups != null) {
            requireArgument(
                    !groups.isEmpty(),
                    "%sgroups must name at least one group, such as readiness; leave it unset for the default",
                    p);
            Set<String> copy = new LinkedHashSet<>();
            for (String g : groups) {
                String group = requireNonNull(g, "group").strip();
                requireArgument(
                        HealthText.isValidName(group),
                        "%sgroups contains an invalid group name '%s': use 1-64 characters of A-Z a-z 0-9 . _ -, such"
                                + " as readiness, liveness, startup",
                        p,
                        escape(g));
                copy.add(group);
            }
            builder.groups(copy);
        }
        return builder.build();
    }

    private static String example(String type) {
        return switch (type) {
            case "tcp" -> "db.internal:5432";
            case "http" -> "http://auth.internal:8080/health/ready";
            case "jdbc" -> "jdbc:postgresql://db.internal:5432/app?connectTimeout=2&socketTimeout=5";
            case "redis" -> "redis://:password@redis.internal:6379/0";
            default -> "/var/lib/app?min-free=500MB";
        };
    }

    private static ProbeCheck tcpSpec(String v, String p) {
        String host;
        String port;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            requireArgument(
                    close > 1 && close + 1 < v.length() && v.charAt(close + 1) == ':',
                    "%starget must be host:port for a tcp probe, with IPv6 in brackets such as [::1]:5432: '%s'",
                    p,
                    escape(v));
            host = v.substring(1, close);
            port = v.substring(close + 2);
            requireArgument(
                    IpAddress.parse(host).isPresent(), "%starget has an invalid IPv6 address: '%s'", p, escape(v));
        } else {
            int colon = v.lastIndexOf(':');
            requireArgument(
                    colon > 0 && v.indexOf(':') == colon,
                    "%starget must be host:port for a tcp probe, such as db.internal:5432 (IPv6 in brackets): '%s'",
                    p,
                    escape(v));
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        int n = parsePort(port);
        requireArgument(
                n > 0, "%starget port must be a number within 1..65535, such as db.internal:5432: '%s'", p, escape(v));
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            requireArgument(
                    c > 0x20 && c != 0x7f && c != '/' && c != '@',
                    "%starget must be host:port for a tcp probe, without scheme, user or path: '%s'",
                    p,
                    escape(v));
        }
        return new NetworkChecks.Tcp(host, n);
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n >= 1 && n <= 65535 ? n : -1;
    }

    private static ProbeCheck httpSpec(String v, String p) {
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    p + "target must be an http:// or https:// URL for an http probe, such as"
                            + " http://auth.internal:8080/health/ready: '" + escape(v) + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        requireArgument(
                ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null,
                "%starget must be an http:// or https:// URL for an http probe, such as"
                        + " http://auth.internal:8080/health/ready: '%s'",
                p,
                escape(v));
        return new NetworkChecks.Http(uri);
    }

    private static ProbeCheck jdbcSpec(String v, String p) {
        requireArgument(
                v.regionMatches(true, 0, "jdbc:", 0, 5) && v.length() > 5,
                "%starget must be a JDBC URL for a jdbc probe, such as %s: '%s'",
                p,
                example("jdbc"),
                escape(JdbcCheck.redact(v)));
        return new JdbcCheck(v);
    }

    private static ProbeCheck diskSpec(String v, String p) {
        String pathText = v;
        long minFree = DEFAULT_MIN_FREE_BYTES;
        int q = v.indexOf('?');
        if (q >= 0) {
            pathText = v.substring(0, q);
            String option = v.substring(q + 1);
            requireArgument(
                    option.startsWith("min-free="),
                    "%starget accepts only the option min-free, as in /var/lib/app?min-free=500MB: '%s'",
                    p,
                    escape(v));
            minFree = parseSize(option.substring("min-free=".length()));
            requireArgument(
                    minFree >= 0,
                    "%starget min-free must be a size such as 500MB or 2GB (units B, KB, MB, GB, TB): '%s'",
                    p,
                    escape(v));
        }
        requireArgument(
                !pathText.isEmpty(),
                "%starget must be a directory for a disk probe, such as /var/lib/app?min-free=500MB: '%s'",
                p,
                escape(v));
        try {
            return new NetworkChecks.Disk(Path.of(pathText), minFree);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    p + "target must be a directory for a disk probe: '" + escape(v) + "' (" + e.getReason() + ")");
        }
    }

    /** Parses {@code 500MB}, {@code 2GB}, {@code 1024} (bytes); binary units. Returns -1 when invalid. */
    static long parseSize(String s) {
        String v = s.strip().toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 15) {
            return -1;
        }
        long n = Long.parseLong(v.substring(0, i));
        long factor =
                switch (v.substring(i).strip()) {
                    case "", "B" -> 1;
                    case "KB", "K" -> 1024;
                    case "MB", "M" -> 1024 * 1024;
                    case "GB", "G" -> 1024L * 1024 * 1024;
                    case "TB", "T" -> 1024L * 1024 * 1024 * 1024;
                    default -> -1;
                };
        if (factor < 0 || n > Long.MAX_VALUE / factor) {
            return -1;
        }
        return n * factor;
    }
}
