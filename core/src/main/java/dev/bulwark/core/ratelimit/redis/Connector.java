package dev.bulwark.core.ratelimit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Opens the store's connection, asynchronously, and releases what the store owns. Implementations are immutable and
 * safe for concurrent use; {@link #connect()} may be called again after a failed attempt.
 */
abstract class Connector {

    /** Lets a reconnect attempt in flight finish before the event loops stop (else Netty logs a rejected task). */
    private static final Duration SHUTDOWN_QUIET = Duration.ofMillis(100);

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    /** Starts connecting; the future completes with a session or the failure. Never blocks the caller. */
    abstract CompletableFuture<Session> connect();

    /** Releases the clients and resources the store created itself; never the application's. */
    abstract void close();

    /** Loads the topology first: an asynchronous connect to a cluster needs its partitions. */
    private static CompletableFuture<Session> connectCluster(RedisClusterClient cluster) {
        return cluster.refreshPartitionsAsync()
                .toCompletableFuture()
                .thenCompose(loaded -> cluster.connectAsync(StringCodec.UTF8))
                .thenApply(c -> Session.of(c, true));
    }

    /** A client the store created from URIs: it owns the client, its resources and the connection. */
    static Connector owned(AbstractRedisClient client, @Nullable RedisURI uri, ClientResources resources) {
        return new Connector() {
            @Override
            CompletableFuture<Session> connect() {
                if (client instanceof RedisClusterClient cluster) {
                    return connectCluster(cluster);
                }
                return ((RedisClient) client)
                        .connectAsync(StringCodec.UTF8, java.util.Objects.requireNonNull(uri, "uri"))
                        .toCompletableFuture()
                        .thenApply(c -> Session.of(c, true));
            }

            @Override
            void close() {
                client.shutdown(SHUTDOWN_QUIET, SHUTDOWN_TIMEOUT);
                resources.shutdown(
                        SHUTDOWN_QUIET.toMillis(),
                        SHUTDOWN_TIMEOUT.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        };
    }

    /**
     * The application's client: the store opens (and owns) one connection of its own on it, with the client's default
     * URI and options. {@link RedisClient#connect} has no asynchronous form without a URI, so a standalone client
     * connects on a short-lived daemon thread.
     */
    static Connector shared(AbstractRedisClient client) {
        return new Connector() {
            @Override
            CompletableFuture<Session> connect() {
                if (client instanceof RedisClusterClient cluster) {
                    return connectCluster(cluster);
                }
                RedisClient standalone = (RedisClient) client;
                CompletableFuture<Session> result = new CompletableFuture<>();
                Thread thread = new Thread(
                        () -> {
                            try {
                                result.complete(Session.of(standalone.connect(StringCodec.UTF8), true));
                            } catch (RuntimeException e) {
                                result.completeExceptionally(e);
                            }
                        },
                        "bulwark-redis-connect");
                thread.setDaemon(true);
                thread.start();
                return result;
            }

            @Override
            void close() {
                // the application's client: it closes it
            }
        };
    }

    /** The application's connection: used as is, never closed by the store. */
    static Connector given(Session session) {
        return new Connector() {
            @Override
            CompletableFuture<Session> connect() {
                return CompletableFuture.completedFuture(session);
            }

            @Override
            void close() {
                // the application's connection: it closes it
            }
        };
    }
}
