/**
 * The access log: one line per request, in the seed's Gunicorn format, Apache/nginx {@code combined}, {@code json} or
 * a user pattern of the same atoms, escaped against log injection.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.accesslog.AccessLogFormat} parses a preset or pattern once and renders lines without
 *       regular expressions or per-request date formatting;
 *   <li>{@link dev.bulwark.core.accesslog.AccessLogEntry} is the read-only view of a completed request that adapters
 *       implement;
 *   <li>{@link dev.bulwark.core.accesslog.AccessLog} adds path exclusions and sampling and writes to an {@link
 *       dev.bulwark.core.accesslog.AccessLogSink}, by default the SLF4J logger {@code bulwark.access}.
 * </ul>
 */
@NullMarked
package dev.bulwark.core.accesslog;

import org.jspecify.annotations.NullMarked;
