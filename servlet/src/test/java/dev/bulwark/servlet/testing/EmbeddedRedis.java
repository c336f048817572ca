package dev.bulwark.servlet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;

/**
 * A real Redis 6.2 server (embedded-redis) on a free loopback port, that a test may stop and start again on the same
 * port to play an outage. Always embedded, even when {@code BULWARK_TEST_REDIS_URL} is set, because tests stop it. Use
 * with try-with-resources.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private @Nullable RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
        restart();
    }

    /** Starts a Redis on a free port. */
    public static EmbeddedRedis start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmbeddedRedis(port);
    }

    /** Returns {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server: clients see their connections drop and new ones refused. */
    public void stop() {
        try {
            if (server != null) {
                server.stop();
                server = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        try {
            RedisServer started = RedisServer.newRedisServer()
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            started.start();
            server = started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
