/**
 * Internals shared between Bulwark's own modules. <b>Unpublished:</b> not part of the API, not exported from the
 * module, and free to change in any release.
 */
@NullMarked
package dev.bulwark.core.internal;

import org.jspecify.annotations.NullMarked;
