package dev.bulwark.core.health;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Links to HikariCP; loaded only when {@link HikariSupport#PRESENT}. Stateless; thread-safe. */
final class HikariPoolStats {

    private HikariPoolStats() {}

    static HikariSupport.@Nullable Stats read(DataSource dataSource) {
        HikariDataSource hikari;
        if (dataSource instanceof HikariDataSource) {
            hikari = (HikariDataSource) dataSource;
        } else {
            try {
                if (!dataSource.isWrapperFor(HikariDataSource.class)) {
                    return null;
                }
                hikari = dataSource.unwrap(HikariDataSource.class);
            } catch (SQLException e) {
                return null;
            }
        }
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return null; // not started yet (Hikari starts lazily on the first getConnection)
        }
        return new HikariSupport.Stats(
                pool.getActiveConnections(),
                pool.getIdleConnections(),
                pool.getTotalConnections(),
                hikari.getMaximumPoolSize(),
                pool.getThreadsAwaitingConnection());
    }
}
