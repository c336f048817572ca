package dev.bulwark.spring;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The access log ({@code bulwark.access-log.*}): one line per request on an SLF4J logger, escaped against log
 * injection.
 *
 * @param enabled Whether Bulwark writes an access log line per request
 * @param format Line format: gunicorn (the seed's access_log_format, raw X-Forwarded-For first), combined (Apache/nginx, the
 *     resolved client first), common, json (one object per line), or a pattern of Gunicorn atoms such as %(h)s
 *     "%(r)s" %(s)s %(L)s
 * @param excludePaths Path patterns never logged; replaces the default health endpoints when set
 * @param sampleRate Fraction of successful requests logged (0 to 1); responses of 400 and above are always logged
 * @param timeZone Time zone of timestamps, such as UTC or Europe/Paris; the system's when unset
 * @param logger SLF4J logger the lines are written to, at INFO
 */
@ConfigurationProperties("bulwark.access-log")
public record AccessLogProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("combined") String format,
        @DefaultValue({"/health/**", "/actuator/health/**"}) List<String> excludePaths,
        @DefaultValue("1.0") double sampleRate,
        @Nullable String timeZone,
        @DefaultValue("bulwark.access") String logger) {}
