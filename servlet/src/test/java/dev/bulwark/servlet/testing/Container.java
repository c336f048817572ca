package dev.bulwark.servlet.testing;

/**
 * The embedded servlet containers a {@link TestServer} can run on. Use with
 * {@code @ParameterizedTest @EnumSource(Container.class)} to run one test on each.
 */
public enum Container {
    /** Eclipse Jetty 12, Jakarta EE 10 servlet environment ({@code jetty-ee10-servlet}). */
    JETTY,
    /** Apache Tomcat 11 embedded ({@code tomcat-embed-core}). */
    TOMCAT
}
