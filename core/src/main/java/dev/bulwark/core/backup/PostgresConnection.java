package dev.bulwark.core.backup;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where and as whom the PostgreSQL client tools connect: host, port, database, user, password and SSL mode.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe. The settings reach {@code
 * pg_dump}, {@code pg_restore} and {@code psql} only through the child process's environment ({@code PGHOST}, {@code
 * PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGCONNECT_TIMEOUT}), never
 * through its command line, which any local user can read with {@code ps}. Without a password the tools fall back to
 * {@code ~/.pgpass} ({@code PGPASSFILE}), as libpq does. {@link #toString()} never shows the password.
 *
 * <p>Defaults: host {@code localhost}, port {@code 5432}, user and password unset (libpq's defaults apply), SSL mode
 * unset ({@code prefer}), connect timeout {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s.
 */
public final class PostgresConnection {

    /** The default connect timeout in seconds ({@code PGCONNECT_TIMEOUT}). */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    /** The libpq variables the child environment is built from; inherited values of these are removed first. */
    static final Set<String> LIBPQ_VARIABLES = Set.of(
            "PGHOST",
            "PGHOSTADDR",
            "PGPORT",
            "PGDATABASE",
            "PGUSER",
            "PGPASSWORD",
            "PGSERVICE",
            "PGSSLMODE",
            "PGCONNECT_TIMEOUT",
            "PGOPTIONS",
            "PGAPPNAME",
            "PGTARGETSESSIONATTRS");

    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private final String host;
    private final int port;
    private final String database;
    private final @Nullable String user;
    private final @Nullable String password;
    private final @Nullable String sslMode;
    private final Duration connectTimeout;

    private PostgresConnection(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.database = requireDatabase(b.database);
        this.user = b.user;
        this.password = b.password;
        this.sslMode = b.sslMode;
        this.connectTimeout = b.connectTimeout;
    }

    /** Returns a builder; only the database is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this connection's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.database = database;
        b.user = user;
        b.password = password;
        b.sslMode = sslMode;
        b.connectTimeout = connectTimeout;
        return b;
    }

    /**
     * Returns the connection described by the libpq environment variables, as {@code psql} would read them: {@code
     * PGHOST}, {@code PGPORT}, {@code PGDATABASE} (default: the user name), {@code PGUSER}, {@code PGPASSWORD} and
     * {@code PGSSLMODE}.
     *
     * @throws IllegalArgumentException if a value is invalid, or neither {@code PGDATABASE} nor {@code PGUSER} is set
     */
    public static PostgresConnection fromEnvironment(Map<String, String> env) {
        requireNonNull(env, "env");
        Builder b = builder();
        String host = blankToNull(env.get("PGHOST"));
        if (host != null) {
            b.host(host);
        }
        String port = blankToNull(env.get("PGPORT"));
        if (port != null) {
            b.port(parsePort(port, "PGPORT"));
        }
        String user = blankToNull(env.get("PGUSER"));
        b.user(user);
        b.password(env.get("PGPASSWORD") == null || env.get("PGPASSWORD").isEmpty() ? null : env.get("PGPASSWORD"));
        String sslMode = blankToNull(env.get("PGSSLMODE"));
        if (sslMode != null) {
            b.sslMode(sslMode);
        }
        String database = blankToNull(env.get("PGDATABASE"));
        if (database == null) {
            database = user;
        }
        requireArgument(
                database != null, "no database to back up: set PGDATABASE (and PGHOST, PGPORT, PGUSER) or --url");
        return b.database(database).build();
    }

    /**
     * Parses a JDBC URL of the PostgreSQL driver: {@code jdbc:postgresql://host[:port]/database[?user=…&password=…
     * &sslmode=…&connectTimeout=…]}; an IPv6 host is written in brackets ({@code [::1]}). Other parameters are ignored.
     *
     * @throws IllegalArgumentException if the URL is not such a URL, names several hosts or no database
     */
    public static PostgresConnection fromJdbcUrl(String url) {
        requireNonNull(url, "url");
        String prefix = "jdbc:postgresql://";
        requireArgument(
                url.regionMatches(true, 0, prefix, 0, prefix.length()),
                "backup url must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/app: '%s'",
                redactUrl(url));
        String rest = url.substring(prefix.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        requireArgument(
                slash >= 0 && slash < rest.length() - 1,
                "backup url must name a database, as in jdbc:postgresql://host:5432/app: '%s'",
                redactUrl(url));
        String authority = rest.substring(0, slash);
        String database = decode(rest.substring(slash + 1));
        requireArgument(
                !authority.contains(","),
                "backup url must name one host; pg_dump needs the primary (or a replica) only: '%s'",
                redactUrl(url));
        Builder b = builder().database(database);
        if (!authority.isEmpty()) {
            String host = authority;
            String port = null;
            if (authority.startsWith("[")) {
                int end = authority.indexOf(']');
                requireArgument(end > 0, "backup url has an unclosed IPv6 bracket: '%s'", redactUrl(url));
                host = authority.substring(1, end);
                if (authority.length() > end + 1) {
                    requireArgument(
                            authority.charAt(end + 1) == ':',
                            "backup url has junk after the IPv6 host: '%s'",
                            redactUrl(url));
                    port = authority.substring(end + 2);
                }
            } else if (authority.indexOf(':') >= 0) {
                int colon = authority.lastIndexOf(':');
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
            if (!host.isEmpty()) {
                b.host(host);
            }
            if (port != null && !port.isEmpty()) {
                b.port(parsePort(port, "backup url port"));
            }
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (key) {
                case "user" -> b.user(value.isEmpty() ? null : value);
                case "password" -> b.password(value.isEmpty() ? null : value);
                case "sslmode" -> b.sslMode(value);
                case "connecttimeout" -> {
                    try {
                        b.connectTimeout(Duration.ofSeconds(Long.parseLong(value)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "backup url connectTimeout must be a number of seconds: '" + escape(value) + "'");
                    }
                }
                default -> {
                    // other driver parameters (currentSchema, ApplicationName, …) do not concern pg_dump
                }
            }
        }
        return b.build();
    }

    /** Returns whether a JDBC URL carries a {@code password} parameter. */
    static boolean hasPasswordParameter(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return false;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (decode(eq < 0 ? pair : pair.substring(0, eq)).equalsIgnoreCase("password")) {
                return true;
            }
        }
        return false;
    }

    /** Returns the URL with the value of a {@code password} parameter replaced by {@code ***}, for messages. */
    static String redactUrl(String url) {
        return escape(url.replaceAll("(?i)([?&]password=)[^&]*", "$1***"));
    }

    /** Returns the host name or address. */
    public String host() {
        return host;
    }

    /** Returns the port. */
    public int port() {
        return port;
    }

    /** Returns the database name. */
    public String database() {
        return database;
    }

    /** Returns the user name, or {@code null} for libpq's default (the operating-system user). */
    public @Nullable String user() {
        return user;
    }

    /** Returns whether a password is configured (it is never returned). */
    public boolean hasPassword() {
        return password != null;
    }

    /** Returns the SSL mode ({@code disable} … {@code verify-full}), or {@code null} for libpq's default. */
    public @Nullable String sslMode() {
        return sslMode;
    }

    /** Returns the connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns a copy connected to another database of the same server. */
    public PostgresConnection withDatabase(String database) {
        return toBuilder().database(database).build();
    }

    /**
     * Returns the libpq environment of a child process, including the password; never log it.
     *
     * @param applicationName shown in {@code pg_stat_activity.application_name}
     */
    Map<String, String> environment(String applicationName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        if (user != null) {
            env.put("PGUSER", user);
        }
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        if (sslMode != null) {
            env.put("PGSSLMODE", sslMode);
        }
        env.put("PGCONNECT_TIMEOUT", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        env.put("PGAPPNAME", applicationName);
        return env;
    }

    /** Returns {@code user@host:port/database} for messages (no password). */
    public String describe() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (user == null ? "" : user + "@") + h + ":" + port + "/" + database;
    }

    /** Returns {@code postgresql://user@host:port/database}, never the password. */
    @Override
    public String toString() {
        return "postgresql://" + describe() + (password == null ? "" : " (password set)");
    }

    private static int parsePort(String value, String what) {
        try {
            int port = Integer.parseInt(value.trim());
            requireArgument(port >= 1 && port <= 65535, "%s must be 1..65535: %s", what, port);
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number 1..65535: '" + escape(value) + "'");
        }
    }

    private static String requireDatabase(@Nullable String database) {
        requireArgument(database != null, "database must be set: the name of the database to back up");
        return database;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Builds a {@link PostgresConnection}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 5432;
        private @Nullable String database;
        private @Nullable String user;
        private @Nullable String password;
        private @Nullable String sslMode;
        private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);

        private Builder() {}

        /**
         * Sets the host name or address (default {@code localhost}); a path starting with {@code /} is a Unix-socket
         * directory, as for libpq.
         *
         * @throws IllegalArgumentException if blank or containing control characters or whitespace
         */
        public Builder host(String host) {
            requireNonNull(host, "host");
            requireArgument(
                    !host.isBlank() && host.chars().noneMatch(c -> c <= ' ' || c == 0x7f || c == ','),
                    "database host must be one host name or address without spaces or commas: '%s'",
                    escape(host));
            this.host = host;
            return this;
        }

        /**
         * Sets the port (default {@code 5432}).
         *
         * @throws IllegalArgumentException if not within 1..65535
         */
        public Builder port(int port) {
            requireArgument(port >= 1 && port <= 65535, "database port must be 1..65535: %s", port);
            this.port = port;
            return this;
        }

        /**
         * Sets the database name (required).
         *
         * @throws IllegalArgumentException if blank, longer than 63 bytes or containing control characters
         */
        public Builder database(String database) {
            this.database = requireName(requireNonNull(database, "database"), "database name");
            return this;
        }

        /**
         * Sets the user name, or {@code null} for libpq's default.
         *
         * @throws IllegalArgumentException if blank or containing control characters
         */
        public Builder user(@Nullable String user) {
            this.user = user == null ? null : requireName(user, "database user");
            return this;
        }

        /**
         * Sets the password, or {@code null} to let libpq read {@code ~/.pgpass}. Passed to the tools in {@code
         * PGPASSWORD} only.
         *
         * @throws IllegalArgumentException if it contains a NUL character
         */
        public Builder password(@Nullable String password) {
            requireArgument(password == null || password.indexOf('\0') < 0, "database password must not contain NUL");
            this.password = password;
            return this;
        }

        /**
         * Sets the SSL mode: {@code disable}, {@code allow}, {@code prefer}, {@code require}, {@code verify-ca} or
         * {@code verify-full}.
         *
         * @throws IllegalArgumentException for any other value
         */
        public Builder sslMode(String sslMode) {
            String mode = requireNonNull(sslMode, "sslMode").trim().toLowerCase(Locale.ROOT);
            requireArgument(
                    SSL_MODES.contains(mode),
                    "ssl mode must be disable, allow, prefer, require, verify-ca or verify-full: '%s'",
                    escape(sslMode));
            this.sslMode = mode;
            return this;
        }

        /**
         * Sets the connect timeout (default {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s; whole seconds).
         *
         * @throws IllegalArgumentException if not within 1 s..10 min
         */
        public Builder connectTimeout(Duration connectTimeout) {
            requireNonNull(connectTimeout, "connectTimeout");
            requireArgument(
                    connectTimeout.compareTo(Duration.ofSeconds(1)) >= 0
                            && connectTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                    "database connect timeout must be between 1 s and 10 min: %s",
                    connectTimeout);
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Returns the connection.
         *
         * @throws IllegalArgumentException if no database is set
         */
        public PostgresConnection build() {
            return new PostgresConnection(this);
        }

        private static String requireName(String value, String what) {
            requireArgument(
                    !value.isBlank() && value.chars().noneMatch(c -> c < ' ' || c == 0x7f),
                    "%s must not be blank or contain control characters: '%s'",
                    what,
                    escape(value));
            requireArgument(
                    value.getBytes(StandardCharsets.UTF_8).length <= 63,
                    "%s must be at most 63 bytes (PostgreSQL's NAMEDATALEN): '%s'",
                    what,
                    escape(value));
            return value;
        }
    }
}
