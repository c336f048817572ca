/**
 * Spring Boot auto-configuration for Bulwark: one {@code *AutoConfiguration} and one {@code bulwark.<capability>.*}
 * properties record per capability. Every bean backs off when the application defines its own, and each capability
 * can be switched off with {@code bulwark.<capability>.enabled=false}. Works with Spring Boot 4.0 and 3.5.
 */
@NullMarked
package dev.bulwark.spring;

import org.jspecify.annotations.NullMarked;
