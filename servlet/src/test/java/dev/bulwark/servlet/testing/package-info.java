/**
 * Test harness that runs the same JUnit test against real embedded servlet containers: Jetty 12 (ee10) and Tomcat 11.
 *
 * <ul>
 *   <li>{@link dev.bulwark.servlet.testing.TestServer} starts one container on an ephemeral port of 127.0.0.1 and
 *       installs filters and servlets through the real {@code ServletContext} API.
 *   <li>{@link dev.bulwark.servlet.testing.Http} sends requests over the wire, with {@code java.net.http} or, for
 *       headers that client refuses (such as {@code Host}), over a raw socket.
 *   <li>{@link dev.bulwark.servlet.testing.Servlets} builds small inline servlets.
 * </ul>
 *
 * <p>Tests take the container as a parameter:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(Container.class)
 * void addsHeader(Container container) {
 *     try (TestServer server = TestServer.start(
 *             container, ctx -> MyFilter.install(ctx), Map.of("/*", Servlets.text("ok")))) {
 *         Http.Response response = Http.get(server.uri("/"));
 *         assertThat(response.header("X-Frame-Options")).contains("DENY");
 *     }
 * }
 * }</pre>
 */
@NullMarked
package dev.bulwark.servlet.testing;

import org.jspecify.annotations.NullMarked;
