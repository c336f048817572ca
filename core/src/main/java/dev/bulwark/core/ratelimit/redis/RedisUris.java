package dev.bulwark.core.ratelimit.redis;

import dev.bulwark.core.internal.Checks;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses, validates and masks Redis URIs. Stateless. */
final class RedisUris {

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@");
    private static final List<String> SCHEMES =
            List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-socket");

    private RedisUris() {}

    /** Returns the URI with any user and password replaced by {@code ****}, safe for logs and error messages. */
    static String mask(String uri) {
        return Checks.escape(USER_INFO.matcher(uri).replaceFirst("$1****@"));
    }

    /**
     * Splits a configured value into URIs: a Sentinel URI is one URI even though it lists several sentinels separated
     * by commas; otherwise a comma-separated list names Cluster seed nodes.
     */
    static List<String> split(String value) {
        String trimmed = value.strip();
        if (isSentinel(trimmed) || trimmed.indexOf(',') < 0) {
            return List.of(trimmed);
        }
        List<String> nodes = new ArrayList<>();
        for (String node : trimmed.split(",", -1)) {
            nodes.add(node.strip());
        }
        return nodes;
    }

    /**
     * Parses one URI, checking its scheme.
     *
     * @param clusterNode whether it names a Cluster node (then only {@code redis://} and {@code rediss://} fit)
     * @throws IllegalArgumentException naming the masked URI and the rule it breaks
     */
    static RedisURI parse(String uri, boolean clusterNode) {
        String scheme = scheme(uri);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("redis uri must start with redis://, rediss:// (TLS), redis-sentinel:// "
                    + "or redis-socket://, as in redis://:password@localhost:6379/0: '" + mask(uri) + "'");
        }
        if (clusterNode && !scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException(
                    "redis cluster nodes must be redis:// or rediss:// uris: '" + mask(uri) + "'");
        }
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI, password included: mask it, and leave the cause out
            String reason = String.valueOf(e.getMessage()).replace(uri, mask(uri));
            throw new IllegalArgumentException("redis uri is not valid (" + reason + "): '" + mask(uri) + "'");
        }
    }

    static boolean isSentinel(String uri) {
        String scheme = scheme(uri);
        return scheme != null && scheme.startsWith("redis") && scheme.contains("sentinel");
    }

    private static @Nullable String scheme(String uri) {
        int colon = uri.indexOf("://");
        return colon <= 0 ? null : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }
}
