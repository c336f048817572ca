/**
 * Request guards: ceilings on what one request may carry, and on how many requests run at once.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.limits.RequestLimits} holds the body size (10 MiB by default, with per-path
 *       overrides), form field (1000), multipart part (50), URL length and header count/size ceilings, and checks the
 *       numbers an adapter measures; {@link dev.bulwark.core.limits.BodyCounter} counts a body while it streams, so
 *       nothing is buffered; every check answers with a {@link dev.bulwark.core.limits.LimitDecision} (400, 413, 414
 *       or 431 with an {@code application/problem+json} body);
 *   <li>{@link dev.bulwark.core.limits.ConcurrencyLimiter} admits at most N requests at once with a bounded, timed
 *       wait queue, answering an {@link dev.bulwark.core.limits.AdmissionDecision}; refusals become {@code 503} with
 *       {@code Retry-After}.
 * </ul>
 */
@NullMarked
package dev.bulwark.core.limits;

import org.jspecify.annotations.NullMarked;
