/**
 * Cross-origin resource sharing (CORS, Fetch standard section 3.2), decided once per request without a web framework.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.cors.CorsPolicy} is one immutable policy: allowed origins (exact serialized origins,
 *       structured patterns such as {@code https://*.example.com} and {@code https://example.com:*}, an optional
 *       whole-origin regex), methods, request headers, exposed headers, credentials, max age and opt-in Private
 *       Network Access. Everything is validated when it is configured; {@link dev.bulwark.core.cors.CorsPolicy#defaults()}
 *       allows no origin.
 *   <li>{@link dev.bulwark.core.cors.Cors} maps policies to path patterns (first match wins, then an optional default
 *       policy) and evaluates requests into a {@link dev.bulwark.core.cors.CorsDecision}, memoizing preflight decisions
 *       in a bounded cache; it counts rejections by reason and reports to a {@link dev.bulwark.core.cors.CorsListener}.
 *   <li>{@link dev.bulwark.core.cors.CorsDecision} is the verdict: an outcome, a reason for rejections, the status of
 *       a preflight answer, and the headers to write, {@code Vary} included.
 *   <li>{@link dev.bulwark.core.cors.Vary} appends tokens to a response's {@code Vary} header without replacing or
 *       duplicating what is already there.
 * </ul>
 *
 * <p>The package-private classes beside them parse origins and request headers by index against strict grammars (only
 * values that passed one are ever echoed), match structured origin patterns on label boundaries, read the Public
 * Suffix List (a copy ships in this package's resources, MPL-2.0, loaded on first use) and hold the preflight cache.
 */
@NullMarked
package dev.bulwark.core.cors;

import org.jspecify.annotations.NullMarked;
