package dev.bulwark.core.ratelimit.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * One Lettuce connection (standalone, Sentinel-discovered or Cluster) and the asynchronous commands the store uses on
 * it. Lettuce connections are thread-safe and multiplex every caller's commands, so one is shared by all request
 * threads.
 */
final class Session {

    final StatefulConnection<String, String> connection;
    final RedisScriptingAsyncCommands<String, String> scripting;
    final BaseRedisAsyncCommands<String, String> base;
    private final boolean owned;

    private Session(
            StatefulConnection<String, String> connection,
            RedisScriptingAsyncCommands<String, String> scripting,
            BaseRedisAsyncCommands<String, String> base,
            boolean owned) {
        this.connection = connection;
        this.scripting = scripting;
        this.base = base;
        this.owned = owned;
    }

    static Session of(StatefulRedisConnection<String, String> connection, boolean owned) {
        return new Session(connection, connection.async(), connection.async(), owned);
    }

    static Session of(StatefulRedisClusterConnection<String, String> connection, boolean owned) {
        return new Session(connection, connection.async(), connection.async(), owned);
    }

    /** Closes the connection when the store opened it; a connection the application handed in stays open. */
    void close() {
        if (owned) {
            connection.close();
        }
    }
}
