package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.backup.BackupException;
import dev.bulwark.core.backup.BackupFormat;
import dev.bulwark.core.backup.BackupFreshness;
import dev.bulwark.core.backup.BackupJob;
import dev.bulwark.core.backup.BackupListener;
import dev.bulwark.core.backup.BackupSchedule;
import dev.bulwark.core.backup.PostgresConnection;
import dev.bulwark.core.backup.RetentionPolicy;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.health.Status;
import dev.bulwark.core.metrics.BackupMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BulwarkBackupAutoConfigurationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BulwarkBackupAutoConfiguration.class));

    private ApplicationContextRunner enabled() {
        return runner.withPropertyValues(
                "bulwark.backup.enabled=true",
                "bulwark.backup.url=jdbc:postgresql://db.internal:5432/app?user=backup",
                "bulwark.backup.directory=" + dir);
    }

    @Test
    void offByDefault() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://db/app")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(BackupJob.class);
                    assertThat(context).doesNotHaveBean(HealthProbe.class);
                    assertThat(context).doesNotHaveBean(BackupSchedulerLifecycle.class);
                });
    }

    @Test
    void enabledWithAUrlAndADirectoryUsesTheCoreDefaults() {
        enabled().run(context -> {
            BackupJob job = context.getBean(BackupJob.class);
            BackupJob core = BackupJob.builder()
                    .connection(PostgresConnection.builder().database("app").build())
                    .directory(dir)
                    .build();
            assertThat(job.connection().describe()).isEqualTo("backup@db.internal:5432/app");
            assertThat(job.connection().hasPassword()).isFalse();
            assertThat(job.directory()).isEqualTo(dir);
            assertThat(job.logDirectory()).isEqualTo(core.logDirectory()).isEqualTo(dir.resolve("logs"));
            assertThat(job.format()).isEqualTo(core.format()).isEqualTo(BackupFormat.CUSTOM);
            assertThat(job.retention()).isEqualTo(core.retention()).isEqualTo(RetentionPolicy.days(7));
            assertThat(job.logRetention()).isEqualTo(core.logRetention()).isEqualTo(Duration.ofDays(14));
            assertThat(job.pgDump()).isEqualTo(core.pgDump()).isEqualTo("pg_dump");
            assertThat(job.timeout()).isEqualTo(core.timeout()).isEqualTo(BackupJob.DEFAULT_TIMEOUT);

            BackupProperties properties = context.getBean(BackupProperties.class);
            assertThat(properties.freshness().warnAfter()).isEqualTo(BackupFreshness.DEFAULT_WARN_AFTER);
            assertThat(properties.freshness().downAfter()).isEqualTo(BackupFreshness.DEFAULT_DOWN_AFTER);

            HealthProbe probe = context.getBean("bulwarkBackupHealthProbe", HealthProbe.class);
            assertThat(probe.name()).isEqualTo("backup");
            assertThat(probe.groups()).containsExactly("readiness");
            assertThat(probe.critical()).isFalse();
            ProbeResult result = probe.check();
            assertThat(result.status()).isEqualTo(Status.UP); // no backup yet, just started
            assertThat(result.details()).containsEntry("newest", "none");

            BackupSchedulerLifecycle scheduler = context.getBean(BackupSchedulerLifecycle.class);
            assertThat(scheduler.schedule())
                    .isEqualTo(BackupSchedule.daily(LocalTime.of(2, 0), ZoneId.systemDefault()));
            assertThat(scheduler.isRunning()).isTrue();
            assertThat(scheduler.scheduler().nextRun()).isAfter(java.time.Instant.now());
        });
    }

    @Test
    void everyPropertyIsBound() {
        runner.withPropertyValues(
                        "bulwark.backup.enabled=true",
                        "bulwark.backup.url=jdbc:postgresql://db.internal:6432/orders?sslmode=require",
                        "bulwark.backup.username=backup",
                        "bulwark.backup.password=s3cret",
                        "bulwark.backup.directory=" + dir,
                        "bulwark.backup.log-directory=" + dir.resolve("run-logs"),
                        "bulwark.backup.format=plain",
                        "bulwark.backup.schedule.cron=30 1 * * 1-5",
                        "bulwark.backup.schedule.zone=Europe/Paris",
                        "bulwark.backup.retention.daily=7",
                        "bulwark.backup.retention.weekly=4",
                        "bulwark.backup.retention.monthly=6",
                        "bulwark.backup.log-retention=30d",
                        "bulwark.backup.freshness.warn-after=12h",
                        "bulwark.backup.freshness.down-after=36h",
                        "bulwark.backup.health-group=backups",
                        "bulwark.backup.health-critical=true",
                        "bulwark.backup.pg-dump=/usr/lib/postgresql/16/bin/pg_dump",
                        "bulwark.backup.timeout=2h")
                .run(context -> {
                    BackupJob job = context.getBean(BackupJob.class);
                    assertThat(job.connection().describe()).isEqualTo("backup@db.internal:6432/orders");
                    assertThat(job.connection().sslMode()).isEqualTo("require");
                    assertThat(job.connection().hasPassword()).isTrue();
                    assertThat(job.logDirectory()).isEqualTo(dir.resolve("run-logs"));
                    assertThat(job.format()).isEqualTo(BackupFormat.PLAIN_GZIP);
                    assertThat(job.retention())
                            .isEqualTo(RetentionPolicy.builder()
                                    .gfs(7, 4, 6)
                                    .zone(ZoneId.of("Europe/Paris"))
                                    .build());
                    assertThat(job.logRetention()).isEqualTo(Duration.ofDays(30));
                    assertThat(job.pgDump()).isEqualTo("/usr/lib/postgresql/16/bin/pg_dump");
                    assertThat(job.timeout()).isEqualTo(Duration.ofHours(2));
                    assertThat(job.toString()).doesNotContain("s3cret");

                    HealthProbe probe = context.getBean(HealthProbe.class);
                    assertThat(probe.groups()).containsExactly("backups");
                    assertThat(probe.critical()).isTrue();

                    assertThat(context.getBean(BackupSchedulerLifecycle.class).schedule())
                            .isEqualTo(BackupSchedule.cron("30 1 * * 1-5", ZoneId.of("Europe/Paris")));
                });
    }

    @Test
    void fallsBackToTheApplicationsDataSource() {
        runner.withPropertyValues(
                        "bulwark.backup.enabled=true",
                        "bulwark.backup.directory=" + dir,
                        "spring.datasource.url=jdbc:postgresql://pg.internal:5433/shop",
                        "spring.datasource.username=shop",
                        "spring.datasource.password=pw")
                .run(context -> {
                    PostgresConnection c = context.getBean(BackupJob.class).connection();
                    assertThat(c.describe()).isEqualTo("shop@pg.internal:5433/shop");
                    assertThat(c.hasPassword()).isTrue();
                });
    }

    @Test
    void anExplicitUrlDoesNotBorrowTheDataSourceCredentials() {
        enabled()
                .withPropertyValues(
                        "spring.datasource.url=jdbc:postgresql://pg.internal:5433/shop",
                        "spring.datasource.username=shop",
                        "spring.datasource.password=pw")
                .run(context -> {
                    PostgresConnection c = context.getBean(BackupJob.class).connection();
                    assertThat(c.describe()).isEqualTo("backup@db.internal:5432/app");
                    assertThat(c.hasPassword()).isFalse(); // ~/.pgpass or PGPASSWORD of the process
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.backup.url=                                | bulwark.backup.url | missing; set bulwark.backup.url=jdbc:postgresql://host:5432/database (or spring.datasource.url) to name the database to back up",
                "bulwark.backup.directory=                          | bulwark.backup.directory | missing; set it to a directory on a volume that outlives the application, such as /var/backups/db",
                "bulwark.backup.url=jdbc:mysql://db/app?password=pw | bulwark.backup.url | backup url must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/app: 'jdbc:mysql://db/app?password=***'",
                "bulwark.backup.format=tar                          | bulwark.backup.format | backup format must be custom (pg_dump -Fc) or plain (SQL, gzipped): 'tar'",
                "bulwark.backup.schedule.cron=0 2 * *               | bulwark.backup.schedule.cron | cron expression must have 5 fields (minute hour day-of-month month day-of-week), such as '0 2 * * *' for 02:00 daily: '0 2 * *'",
                "bulwark.backup.schedule.time=2am                   | bulwark.backup.schedule.time | backup time must be a time of day such as 02:00 or 23:30: '2am'",
                "bulwark.backup.schedule.zone=Mars/Olympus          | bulwark.backup.schedule.zone | must be a time zone such as Europe/Paris or UTC",
                "bulwark.backup.retention.days=0                    | bulwark.backup.retention.days | retention days must be between 1 and 36500: 0; use keepAll() to never prune",
                "bulwark.backup.retention.weekly=-1                 | bulwark.backup.retention | retention weekly count must be between 0 and 36500: -1",
                "bulwark.backup.freshness.down-after=1h             | bulwark.backup.freshness.down-after | backup freshness down-after (PT1H) must be longer than warn-after (PT26H)",
                "bulwark.backup.health-group=not a group            | bulwark.backup.health-group | group name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit: 'not a group'",
                "bulwark.backup.log-retention=1h                    | bulwark.backup.log-retention | backup log retention must be at least 1 day: PT1H",
                "bulwark.backup.timeout=0s                          | bulwark.backup.timeout | backup timeout must be between 1 s and 7 d: PT0S",
            })
    void badValuesFailStartupNamingTheProperty(String property, String name, String reason) {
        enabled().withPropertyValues(property).run(context -> {
            InvalidBulwarkPropertyException failure = failure(context);
            assertThat(failure.property()).isEqualTo(name);
            assertThat(failure.reason()).isEqualTo(reason);
            assertThat(failure.getMessage())
                    .startsWith("invalid value for " + name)
                    .doesNotContain("=pw");
        });
    }

    @Test
    void conflictingSettingsAreRejected() {
        enabled()
                .withPropertyValues("bulwark.backup.schedule.time=03:00", "bulwark.backup.schedule.cron=0 2 * * *")
                .run(context -> assertThat(failure(context).reason())
                        .isEqualTo(
                                "set either bulwark.backup.schedule.time or bulwark.backup.schedule.cron, not both"));
        enabled()
                .withPropertyValues("bulwark.backup.retention.days=7", "bulwark.backup.retention.daily=7")
                .run(context -> assertThat(failure(context).reason())
                        .isEqualTo("set either bulwark.backup.retention.days or retention.daily/weekly/monthly"
                                + " (grandfather-father-son), not both"));
    }

    @Test
    void aNonPostgresDataSourceIsNamed() {
        runner.withPropertyValues(
                        "bulwark.backup.enabled=true",
                        "bulwark.backup.directory=" + dir,
                        "spring.datasource.url=jdbc:h2:mem:test")
                .run(context -> assertThat(failure(context).property()).isEqualTo("spring.datasource.url"));
    }

    @Test
    void scheduleCanBeLeftToCron() {
        enabled().withPropertyValues("bulwark.backup.schedule.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(BackupJob.class);
            assertThat(context).hasSingleBean(HealthProbe.class);
            assertThat(context).doesNotHaveBean(BackupSchedulerLifecycle.class);
        });
    }

    @Test
    void backsOffToTheApplicationsBeansAndAppliesCustomizersAndListeners() {
        enabled().withUserConfiguration(Customized.class).run(context -> {
            BackupJob job = context.getBean(BackupJob.class);
            assertThat(job.timeout()).isEqualTo(Duration.ofMinutes(42));
            // the job tells every listener: pg_dump does not exist
            try {
                job.run();
            } catch (BackupException expected) {
                // expected
            }
            assertThat(context.getBean(Customized.class).outcomes).containsExactly("client_missing");
        });
        enabled().withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(BackupJob.class).connection().database()).isEqualTo("mine");
            assertThat(context.getBean("bulwarkBackupHealthProbe", HealthProbe.class)
                            .name())
                    .isEqualTo("my-backup");
        });
    }

    @Test
    void publishesMetricsWhenARegistryExists() throws Exception {
        Files.writeString(dir.resolve("db_backup_20260101_020000.dump"), "backup");
        enabled().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(BackupMetrics.LAST_SUCCESS).timeGauge().value())
                    .isEqualTo(java.time.Instant.parse("2026-01-01T02:00:00Z").toEpochMilli() / 1000.0);
            assertThat(registry.get(BackupMetrics.CONSECUTIVE_FAILURES).gauge().value())
                    .isZero();
        });
        enabled().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(BackupMetricsBinder.class);
        });
    }

    @Test
    void theEffectiveConfigurationReportMasksThePassword() {
        assertThat(EffectiveConfiguration.mask(
                        "bulwark.backup.url", "jdbc:postgresql://db/app?user=app&password=s3cret&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/app?user=app&password=******&sslmode=require");
        assertThat(EffectiveConfiguration.mask("bulwark.backup.password", "s3cret"))
                .isEqualTo("******");
        assertThat(EffectiveConfiguration.mask("bulwark.backup.url", "jdbc:postgresql://db/app?user=app"))
                .isEqualTo("jdbc:postgresql://db/app?user=app");
    }

    private static InvalidBulwarkPropertyException failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
        return (InvalidBulwarkPropertyException) failure;
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        final List<String> outcomes = new ArrayList<>();

        @Bean
        BackupJobCustomizer timeout() {
            return builder -> builder.timeout(Duration.ofMinutes(42)).pgDump("/nonexistent/bin/pg_dump");
        }

        @Bean
        BackupListener recorder() {
            return new BackupListener() {
                @Override
                public void onFailure(BackupException failure, Duration duration) {
                    outcomes.add(failure.reason().tag());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        BackupJob myJob() {
            return BackupJob.builder()
                    .connection(PostgresConnection.builder().database("mine").build())
                    .directory(Path.of("/tmp/mine"))
                    .build();
        }

        @Bean
        HealthProbe bulwarkBackupHealthProbe() {
            return HealthProbe.builder("my-backup", timeout -> ProbeResult.up())
                    .groups(Set.of("readiness"))
                    .build();
        }
    }
}
