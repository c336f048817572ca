package dev.bulwark.core.health;

import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads HikariCP pool statistics when HikariCP is on the class path; never links to HikariCP otherwise (the classes
 * that name HikariCP types are loaded only after {@link #PRESENT} is known to be true). Stateless; thread-safe.
 */
final class HikariSupport {

    /** Whether HikariCP can be loaded by core's class loader. */
    static final boolean PRESENT = isPresent();

    private HikariSupport() {}

    /** Pool statistics. */
    record Stats(int active, int idle, int total, int max, int awaiting) {
        /** No idle connection and no room to grow: a borrow would wait. */
        boolean saturated() {
            return idle == 0 && total >= max && active >= max;
        }
    }

    /** Returns the statistics of the pool behind the data source, or {@code null} if it is not a started Hikari pool. */
    static @Nullable Stats stats(DataSource dataSource) {
        try {
            return HikariPoolStats.read(dataSource);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static boolean isPresent() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, HikariSupport.class.getClassLoader());
            Class.forName("com.zaxxer.hikari.HikariPoolMXBean", false, HikariSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
