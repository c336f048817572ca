package dev.bulwark.spring;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that records when it was created and fails its first {@code failures} connections, then hands out
 * connections whose {@code isValid} is true. Thread-safe.
 */
final class FakeDataSource implements DataSource {

    final long createdNanos = System.nanoTime();
    final AtomicInteger connections = new AtomicInteger();
    private final int failures;

    FakeDataSource(int failures) {
        this.failures = failures;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (connections.incrementAndGet() <= failures) {
            throw new SQLException("Connection refused (fake)", "08001");
        }
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isValid" -> true;
                    case "isWrapperFor" -> false;
                    case "close" -> null;
                    case "isClosed" -> false;
                    case "toString" -> "FakeConnection";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new SQLFeatureNotSupportedException(method.getName());
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return new PrintWriter(System.err);
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
