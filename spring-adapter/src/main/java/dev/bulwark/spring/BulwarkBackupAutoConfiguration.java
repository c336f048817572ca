package dev.bulwark.spring;

import dev.bulwark.core.backup.BackupException;
import dev.bulwark.core.backup.BackupFormat;
import dev.bulwark.core.backup.BackupFreshness;
import dev.bulwark.core.backup.BackupJob;
import dev.bulwark.core.backup.BackupListener;
import dev.bulwark.core.backup.BackupResult;
import dev.bulwark.core.backup.BackupSchedule;
import dev.bulwark.core.backup.PostgresConnection;
import dev.bulwark.core.backup.RetentionPolicy;
import dev.bulwark.core.health.HealthProbe;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * PostgreSQL backups, off by default: with {@code bulwark.backup.enabled=true}, a {@link BackupJob} from {@code
 * bulwark.backup.*} (then {@link BackupJobCustomizer} beans) backing up {@code bulwark.backup.url}, or the
 * application's {@code spring.datasource.*} database, into {@code bulwark.backup.directory}; a scheduler running it
 * daily at 02:00 (or on {@code bulwark.backup.schedule.*}); and a {@link HealthProbe} bean {@code
 * bulwarkBackupHealthProbe} (probe {@code backup}, group {@code readiness} or {@code bulwark.backup.health-group},
 * non-critical by default) that warns when the newest verified backup gets old.
 *
 * <p>Every bean backs off to the application's own. Invalid values fail startup naming the property; the password is
 * never shown. When Micrometer is on the classpath and the context has a {@code MeterRegistry}, runs are published as
 * {@code bulwark.backup.*} meters; {@link BackupListener} beans receive every run's outcome. The client tools ({@code
 * pg_dump}, {@code pg_restore}, {@code psql}: package {@code postgresql-client}) are checked when the scheduler starts,
 * with a warning when missing.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "bulwark.backup", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(BackupProperties.class)
public class BulwarkBackupAutoConfiguration {

    private static final String P = "bulwark.backup.";

    /** The name of the freshness probe in health responses and metrics. */
    static final String PROBE_NAME = "backup";

    @Bean
    @ConditionalOnMissingBean
    BackupJob bulwarkBackupJob(
            BackupProperties properties,
            Environment environment,
            ObjectProvider<BackupJobCustomizer> customizers,
            ObjectProvider<BackupListener> listeners) {
        BackupJob.Builder builder = BackupJob.builder().connection(connection(properties, environment));
        builder.directory(path(
                P + "directory",
                required(
                        P + "directory",
                        properties.directory(),
                        "missing; set it to"
                                + " a directory on a volume that outlives the application, such as /var/backups/db")));
        if (properties.logDirectory() != null && !properties.logDirectory().isBlank()) {
            builder.logDirectory(path(P + "log-directory", properties.logDirectory()));
        }
        builder.format(Props.bind(P + "format", properties.format(), () -> BackupFormat.parse(properties.format())));
        builder.retention(retention(properties.retention(), zone(properties.schedule())));
        Props.apply(
                P + "log-retention", properties.logRetention(), () -> builder.logRetention(properties.logRetention()));
        Props.apply(P + "pg-dump", properties.pgDump(), () -> builder.pgDump(properties.pgDump()));
        Props.apply(P + "timeout", properties.timeout(), () -> builder.timeout(properties.timeout()));
        List<BackupListener> all = listeners.orderedStream().toList();
        if (!all.isEmpty()) {
            builder.listener(all.size() == 1 ? all.get(0) : new CompositeListener(all));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "bulwarkBackupHealthProbe")
    HealthProbe bulwarkBackupHealthProbe(BackupJob job, BackupProperties properties) {
        BackupProperties.Freshness f = properties.freshness();
        BackupFreshness.Builder freshness = BackupFreshness.builder(job);
        Props.apply(P + "freshness.warn-after", f.warnAfter(), () -> freshness.warnAfter(f.warnAfter()));
        Props.apply(P + "freshness.down-after", f.downAfter(), () -> freshness.downAfter(f.downAfter()));
        BackupFreshness check = Props.bind(P + "freshness.down-after", f.downAfter(), freshness::build);
        return Props.bind(P + "health-group", properties.healthGroup(), () -> HealthProbe.builder(PROBE_NAME, check)
                .critical(properties.healthCritical())
                .timeout(Duration.ofSeconds(2))
                .groups(properties.healthGroup().strip())
                .build());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "bulwark.backup.schedule", name = "enabled", matchIfMissing = true)
    BackupSchedulerLifecycle bulwarkBackupScheduler(BackupJob job, BackupProperties properties) {
        return new BackupSchedulerLifecycle(job, schedule(properties.schedule()));
    }

    /** Publishes runs to Micrometer when it is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        BackupMetricsBinder bulwarkBackupMetrics(
                ObjectProvider<MeterRegistry> registries, ObjectProvider<BackupJob> jobs) {
            return new BackupMetricsBinder(registries, jobs);
        }
    }

    // ------------------------------------------------------------------------------------------------------- mapping

    static PostgresConnection connection(BackupProperties properties, Environment environment) {
        String url = properties.url();
        String urlProperty = P + "url";
        String username = properties.username();
        String password = properties.password();
        if (url == null || url.isBlank()) {
            url = environment.getProperty("spring.datasource.url");
            urlProperty = "spring.datasource.url";
            if (username == null) {
                username = environment.getProperty("spring.datasource.username");
            }
            if (password == null) {
                password = environment.getProperty("spring.datasource.password");
            }
        }
        if (url == null || url.isBlank()) {
            throw new InvalidBulwarkPropertyException(
                    P + "url",
                    "",
                    "missing; set bulwark.backup.url=jdbc:postgresql://host:5432/database (or spring.datasource.url) to"
                            + " name the database to back up",
                    new IllegalArgumentException());
        }
        String jdbcUrl = url.strip();
        PostgresConnection parsed =
                Props.bind(urlProperty, redact(jdbcUrl), () -> PostgresConnection.fromJdbcUrl(jdbcUrl));
        PostgresConnection.Builder builder = parsed.toBuilder();
        if (username != null && !username.isBlank()) {
            String user = username;
            Props.apply(P + "username", user, () -> builder.user(user));
        }
        if (password != null && !password.isEmpty()) {
            String pw = password;
            Props.apply(P + "password", "***", () -> builder.password(pw));
        }
        return builder.build();
    }

    static BackupSchedule schedule(BackupProperties.Schedule s) {
        ZoneId zone = zone(s);
        boolean hasTime = s.time() != null && !s.time().isBlank();
        boolean hasCron = s.cron() != null && !s.cron().isBlank();
        if (hasTime && hasCron) {
            throw new InvalidBulwarkPropertyException(
                    P + "schedule.cron",
                    s.cron(),
                    "set either bulwark.backup.schedule.time or bulwark.backup.schedule.cron, not both",
                    new IllegalArgumentException());
        }
        if (hasCron) {
            String cron = s.cron().strip();
            return Props.bind(P + "schedule.cron", cron, () -> BackupSchedule.cron(cron, zone));
        }
        String time = hasTime ? s.time().strip() : BackupSchedule.DEFAULT_TIME.toString();
        return Props.bind(P + "schedule.time", time, () -> BackupSchedule.daily(time, zone));
    }

    static ZoneId zone(BackupProperties.Schedule s) {
        if (s.zone() == null || s.zone().isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(s.zone().strip());
        } catch (DateTimeException e) {
            throw new InvalidBulwarkPropertyException(
                    P + "schedule.zone", s.zone(), "must be a time zone such as Europe/Paris or UTC", e);
        }
    }

    static RetentionPolicy retention(BackupProperties.Retention r, ZoneId zone) {
        boolean gfs = r.daily() != null || r.weekly() != null || r.monthly() != null;
        if (gfs && r.days() != null) {
            throw new InvalidBulwarkPropertyException(
                    P + "retention.days",
                    r.days(),
                    "set either bulwark.backup.retention.days or retention.daily/weekly/monthly"
                            + " (grandfather-father-son), not both",
                    new IllegalArgumentException());
        }
        if (gfs) {
            int daily = r.daily() == null ? 0 : r.daily();
            int weekly = r.weekly() == null ? 0 : r.weekly();
            int monthly = r.monthly() == null ? 0 : r.monthly();
            return Props.bind(
                    P + "retention",
                    daily + " daily, " + weekly + " weekly, " + monthly + " monthly",
                    () -> RetentionPolicy.builder()
                            .gfs(daily, weekly, monthly)
                            .zone(zone)
                            .build());
        }
        if (r.days() != null) {
            int days = r.days();
            return Props.bind(P + "retention.days", days, () -> RetentionPolicy.days(days));
        }
        return RetentionPolicy.defaults();
    }

    private static String required(String property, @Nullable String value, String reason) {
        if (value == null || value.isBlank()) {
            throw new InvalidBulwarkPropertyException(property, "", reason, new IllegalArgumentException());
        }
        return value.strip();
    }

    private static Path path(String property, String value) {
        try {
            return Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new InvalidBulwarkPropertyException(property, value, "not a valid path: " + e.getReason(), e);
        }
    }

    /** Hides the value of a {@code password} parameter. */
    static String redact(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    /** Calls several listeners in order. */
    private record CompositeListener(List<BackupListener> listeners) implements BackupListener {
        @Override
        public void onSuccess(BackupResult result) {
            for (BackupListener listener : listeners) {
                listener.onSuccess(result);
            }
        }

        @Override
        public void onFailure(BackupException failure, Duration duration) {
            for (BackupListener listener : listeners) {
                listener.onFailure(failure, duration);
            }
        }
    }
}
