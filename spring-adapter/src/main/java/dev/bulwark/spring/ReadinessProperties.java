package dev.bulwark.spring;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The production readiness report ({@code bulwark.readiness.*}): Bulwark's {@code check --deploy}, run at startup.
 *
 * @param enabled Whether to check the configuration at startup and log the report
 * @param failOn Level at which startup fails: error, warning or never; by default error when a production profile is
 *     active, otherwise never
 * @param silenced Finding ids to leave out of the report, such as BW-H007
 * @param productionProfiles Profiles that mark a production deployment
 * @param reportAndExit Whether to print the report and the effective configuration (secrets masked) once the
 *     application has started, then exit: status 0 when it passes fail-on (error if unset), 1 otherwise
 */
@ConfigurationProperties("bulwark.readiness")
public record ReadinessProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String failOn,
        @DefaultValue List<String> silenced,
        @DefaultValue({"prod", "production"}) List<String> productionProfiles,
        @DefaultValue("false") boolean reportAndExit) {}
