/**
 * Rate limiting: token buckets per client, per user and per scope, that a client cannot evade by spoofing headers or
 * rotating IPv6 addresses, bounded in memory, with standard response headers.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.ratelimit.Rate} parses {@code 1000/hour}, {@code 100/15m}, {@code 10/s;burst=50};
 *   <li>{@link dev.bulwark.core.ratelimit.RateLimitPolicy} is a named set of rates with an audience (anonymous,
 *       authenticated, or a scope matching paths and methods), a {@link dev.bulwark.core.ratelimit.RateLimitKey} and a
 *       cost per request;
 *   <li>{@link dev.bulwark.core.ratelimit.RateLimiter} evaluates every applying policy per request (the longest wait
 *       wins), writes {@code RateLimit}/{@code RateLimit-Policy} or {@code X-RateLimit-*} headers and answers with a
 *       {@link dev.bulwark.core.ratelimit.RateLimitDecision}; its programmatic methods limit any call;
 *   <li>{@link dev.bulwark.core.ratelimit.BucketStore} is the SPI for where buckets live: the bounded in-memory store
 *       by default, a shared one to enforce one limit across instances;
 *       {@link dev.bulwark.core.ratelimit.Consumption} packs a store's answer into a {@code long};
 *   <li>{@link dev.bulwark.core.ratelimit.RateLimitListener} receives decisions, for metrics
 *       ({@link dev.bulwark.core.metrics.RateLimitMetrics}) and logs.
 * </ul>
 */
@NullMarked
package dev.bulwark.core.ratelimit;

import org.jspecify.annotations.NullMarked;
