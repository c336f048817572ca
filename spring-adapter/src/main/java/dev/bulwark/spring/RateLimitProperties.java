package dev.bulwark.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limiting ({@code bulwark.rate-limit.*}): token buckets for anonymous clients (by address), authenticated users
 * (by principal) and named scopes (by path and method). Nothing is limited until a rate is configured.
 *
 * @param enabled Whether Bulwark rate-limits requests once rates are configured
 * @param anonymous Rates for unauthenticated requests, counted by client address, such as 1000/hour or
 *     10/s,1000/hour (units s, m, h, d; 100/15m; a burst as 10/s;burst=50)
 * @param authenticated Rates for authenticated requests, counted by principal name, such as 5000/hour
 * @param scopes Named policies for matching paths and methods, with their own rates, key and cost
 * @param ipv6Prefix Prefix length by which IPv6 clients share one bucket (32 to 128)
 * @param maxTrackedKeys Maximum number of buckets held in memory; beyond it the least valuable are dropped (counted)
 * @param headers Rate-limit headers on limited responses: ietf (RateLimit and RateLimit-Policy), legacy
 *     (X-RateLimit-*), both or none
 * @param dryRun Whether to count and send headers without ever rejecting, to tune limits in production
 * @param exemptPaths Path patterns never limited, in addition to /health/** and /actuator/health/**
 * @param exemptAddresses Client addresses or CIDR blocks never limited, such as 10.0.0.0/8
 * @param exemptPreflight Whether CORS preflight requests are exempt
 * @param rejection The answer to a rejected request
 * @param store Where buckets live: local (in memory, one limit per instance) or redis (one limit shared by every
 *     instance; needs io.lettuce:lettuce-core)
 * @param redis The Redis bucket store, used when store is redis
 */
@ConfigurationProperties("bulwark.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String anonymous,
        @Nullable String authenticated,
        @DefaultValue Map<String, Scope> scopes,
        @DefaultValue("64") int ipv6Prefix,
        @DefaultValue("100000") long maxTrackedKeys,
        @DefaultValue("ietf") String headers,
        @DefaultValue("false") boolean dryRun,
        @DefaultValue List<String> exemptPaths,
        @DefaultValue List<String> exemptAddresses,
        @DefaultValue("true") boolean exemptPreflight,
        @DefaultValue Rejection rejection,
        @DefaultValue("local") String store,
        @DefaultValue Redis redis) {

    /**
     * A scoped policy ({@code bulwark.rate-limit.scopes.<name>.*}).
     *
     * @param rate Rates of this scope, such as 5/min or 10/s,1000/hour
     * @param paths Path patterns the scope covers, such as /login or /api/export/**; empty for every path
     * @param methods HTTP methods the scope covers, such as POST; empty for every method
     * @param key What the scope counts by: ip, user (anonymous requests fall back to ip) or header:NAME (a request header, such as header:X-Api-Key)
     * @param cost Tokens one matching request consumes
     */
    public record Scope(
            @Nullable String rate,
            @DefaultValue List<String> paths,
            @DefaultValue List<String> methods,
            @DefaultValue("ip") String key,
            @DefaultValue("1") long cost) {}

    /**
     * The answer to a rejected request ({@code bulwark.rate-limit.rejection.*}).
     *
     * @param status Status of a rejected request (429 Too Many Requests; 503 is the other common choice)
     * @param body Fixed body replacing the default application/problem+json document
     * @param contentType Content type of a fixed body
     */
    public record Rejection(
            @DefaultValue("429") int status,
            @Nullable String body,
            @DefaultValue("application/problem+json") String contentType) {}

    /**
     * The Redis bucket store ({@code bulwark.rate-limit.redis.*}), used when {@code bulwark.rate-limit.store=redis}.
     *
     * @param uri Redis to use: redis://[:password@]host[:port][/database], rediss:// for TLS,
     *     redis-sentinel://host:26379,host2:26379#master, or a comma-separated list of Cluster nodes; when unset, the
     *     application's Lettuce RedisClient or Spring Data Redis LettuceConnectionFactory bean is used
     * @param cluster Whether a single uri is a Redis Cluster seed node (a list of uris always is)
     * @param keyPrefix Prefix of every rate-limit key in Redis
     * @param timeout Longest wait for Redis per decision, after which the failure mode answers
     * @param connectTimeout Longest wait for the connection to Redis (startup does not fail when Redis is down)
     * @param failureMode What decisions do when Redis cannot answer: open (allow and count), closed (503 with
     *     Retry-After) or local (the same limits in memory, per instance)
     * @param breaker Circuit breaker that stops calling Redis during an outage and probes until it answers again
     */
    public record Redis(
            @Nullable String uri,
            @DefaultValue("false") boolean cluster,
            @DefaultValue("bulwark:rl:") String keyPrefix,
            @DefaultValue("100ms") Duration timeout,
            @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("open") String failureMode,
            @DefaultValue Breaker breaker) {}

    /**
     * The Redis store's circuit breaker ({@code bulwark.rate-limit.redis.breaker.*}).
     *
     * @param failureThreshold Consecutive failed calls to Redis that open the breaker
     * @param coolDown How long the open breaker stops calling Redis before one request probes it
     */
    public record Breaker(
            @DefaultValue("5") int failureThreshold,
            @DefaultValue("2s") Duration coolDown) {}
}
