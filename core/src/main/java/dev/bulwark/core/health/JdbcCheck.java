package dev.bulwark.core.health;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Checks a database: borrows a connection and calls {@link Connection#isValid(int)} with the probe timeout (rounded up
 * to whole seconds, at least 1, as JDBC requires; {@code 0} would wait forever). When the pool is HikariCP, its
 * saturation is read first from {@code HikariPoolMXBean}: a saturated pool (no idle connection, no room to grow) is
 * reported with {@code saturatedStatus} without borrowing, since a borrow would queue behind the application's own
 * requests for up to Hikari's connection timeout. Thread-safe.
 */
final class JdbcCheck implements ProbeCheck {

    interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private final ConnectionSource source;
    private final @Nullable DataSource dataSource;
    private final Status saturatedStatus;
    private final String description;

    JdbcCheck(DataSource dataSource, Status saturatedStatus) {
        this.dataSource = dataSource;
        this.source = dataSource::getConnection;
        this.saturatedStatus = saturatedStatus;
        this.description = "jdbc(" + dataSource.getClass().getName() + ")";
    }

    /** A check that opens a new connection with {@link DriverManager} for each check (URLs from configuration). */
    JdbcCheck(String url) {
        this.dataSource = null;
        this.source = () -> DriverManager.getConnection(url);
        this.saturatedStatus = Status.WARN;
        this.description = "jdbc(" + redact(url) + ")";
    }

    @Override
    public ProbeResult check(Duration timeout) throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        if (dataSource != null && HikariSupport.PRESENT) {
            HikariSupport.Stats stats = HikariSupport.stats(dataSource);
            if (stats != null) {
                details.put("pool", stats.saturated() ? "saturated" : "ok");
                details.put("pool.active", stats.active());
                details.put("pool.idle", stats.idle());
                details.put("pool.total", stats.total());
                details.put("pool.max", stats.max());
                details.put("pool.awaiting", stats.awaiting());
                if (stats.saturated()) {
                    return ProbeResult.of(
                                    saturatedStatus,
                                    "connection pool saturated: " + stats.active() + " of " + stats.max()
                                            + " connections active, " + stats.awaiting() + " threads waiting",
                                    details)
                            .withError("connection pool saturated");
                }
            }
        }
        int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeout.toMillis() + 999) / 1000));
        try (Connection connection = source.get()) {
            if (!connection.isValid(seconds)) {
                return ProbeResult.down("connection is not valid", details).withError("connection is not valid");
            }
        }
        return ProbeResult.up(details);
    }

    /** Removes user info and parameters (which may carry passwords) from a JDBC URL. */
    static String redact(String url) {
        int q = url.indexOf('?');
        String base = q >= 0 ? url.substring(0, q) : url;
        int semicolon = base.indexOf(';');
        if (semicolon >= 0) {
            base = base.substring(0, semicolon);
        }
        int at = base.lastIndexOf('@');
        int slashes = base.indexOf("//");
        if (at >= 0 && slashes >= 0 && at > slashes) {
            base = base.substring(0, slashes + 2) + "***@" + base.substring(at + 1);
        }
        return base;
    }

    @Override
    public String toString() {
        return description;
    }
}
