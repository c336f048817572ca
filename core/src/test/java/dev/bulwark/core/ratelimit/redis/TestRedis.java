package dev.bulwark.core.ratelimit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;

/**
 * A real Redis for a test: the server named by {@code BULWARK_TEST_REDIS_URL} when set, otherwise a Redis 6.2 started
 * by embedded-redis on a free loopback port. Tests that stop or restart Redis only run on the embedded one. Use with
 * try-with-resources; keys are namespaced per test, so a shared external Redis is never flushed.
 */
public final class TestRedis implements AutoCloseable {

    public static final String URL_VARIABLE = "BULWARK_TEST_REDIS_URL";

    private final @Nullable List<String> settings;
    private final int port;
    private final String uri;
    private @Nullable RedisServer server;
    private final RedisClient adminClient;
    private StatefulRedisConnection<String, String> admin;

    private TestRedis(@Nullable List<String> settings, int port, String uri) {
        this.settings = settings;
        this.port = port;
        this.uri = uri;
        if (settings != null) {
            startServer();
        }
        this.adminClient = RedisClient.create(RedisURI.create(uri));
        this.adminClient.setDefaultTimeout(Duration.ofSeconds(10));
        this.admin = adminClient.connect();
    }

    /** Returns the external Redis, or starts an embedded one. */
    public static TestRedis start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return new TestRedis(null, -1, external.strip());
        }
        return embedded(List.of());
    }

    /** Starts an embedded Redis with extra configuration lines, whatever {@code BULWARK_TEST_REDIS_URL} says. */
    public static TestRedis embedded(List<String> settings) {
        return embeddedOn(freePort(), settings);
    }

    /** Starts an embedded Redis on the given port. */
    public static TestRedis embeddedOn(int port, List<String> settings) {
        return new TestRedis(settings, port, "redis://127.0.0.1:" + port);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServer() {
        try {
            var builder =
                    RedisServer.newRedisServer().port(port).setting("save \"\"").setting("appendonly no");
            for (String setting : settings) {
                builder.setting(setting);
            }
            server = builder.build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns whether this Redis was started here (and so may be stopped and restarted). */
    public boolean isEmbedded() {
        return settings != null;
    }

    public String uri() {
        return uri;
    }

    /** A synchronous admin connection, for assertions (PTTL, INFO, DEBUG SLEEP…). */
    public RedisCommands<String, String> admin() {
        return admin.sync();
    }

    /** Stops the embedded server (its clients see the connection drop). */
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the embedded server again on the same port, empty. */
    public void restart() {
        startServer();
        admin.close();
        admin = adminClient.connect();
    }

    @Override
    public void close() {
        try {
            admin.close();
            adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            stop();
        }
    }
}
