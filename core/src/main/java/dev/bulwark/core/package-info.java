/**
 * Shared, framework-neutral types: the {@link dev.bulwark.core.RequestView} every policy reads, the
 * {@link dev.bulwark.core.ResponseHeaders} sink decisions write to, {@link dev.bulwark.core.PathPattern} for
 * anchored path matching, and the metrics surface shared by every capability: {@link
 * dev.bulwark.core.RequestListener} and {@link dev.bulwark.core.Rejection}.
 *
 * <p>Capabilities live in sub-packages: {@code client} (who is calling, behind proxies) and {@code headers} (security
 * headers, HTTPS redirect, cookies).
 */
@NullMarked
package dev.bulwark.core;

import org.jspecify.annotations.NullMarked;
