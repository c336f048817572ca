/**
 * Response hardening: {@link dev.bulwark.core.headers.SecurityHeadersPolicy} (HSTS, frame options, referrer policy,
 * cross-origin policies, {@code Cache-Control} rules), {@link dev.bulwark.core.headers.ContentSecurityPolicy} with
 * per-request nonces, {@link dev.bulwark.core.headers.PermissionsPolicy}, {@link
 * dev.bulwark.core.headers.HttpsRedirect} and {@link dev.bulwark.core.headers.CookiePolicy}.
 */
@NullMarked
package dev.bulwark.core.headers;

import org.jspecify.annotations.NullMarked;
