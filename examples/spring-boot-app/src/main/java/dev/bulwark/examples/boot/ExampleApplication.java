package dev.bulwark.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot app protected by Bulwark and Spring Security. Bulwark needs no code: adding {@code
 * bulwark-spring-boot} is enough, and {@code application.yml} turns every capability on. Any {@code bulwark.*}
 * property can be passed as {@code --bulwark.x=y} or as an environment variable ({@code BULWARK_X=y}).
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
