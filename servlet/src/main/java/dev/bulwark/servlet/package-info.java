/**
 * Thin {@code jakarta.servlet} filters over Bulwark Core: each adapts the request, asks core, and writes the decision.
 *
 * <p>{@link dev.bulwark.servlet.Bulwark#install} registers them all, in {@linkplain dev.bulwark.servlet.FilterOrder
 * order}, into any Servlet 6 container (Tomcat 10.1/11, Jetty 12 ee10, Undertow).
 */
@NullMarked
package dev.bulwark.servlet;

import org.jspecify.annotations.NullMarked;
