package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresConnectionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:postgresql://db.internal:6432/app?user=backup&sslmode=require | db.internal | 6432 | app | backup | require",
                "jdbc:postgresql://db.internal/app                                  | db.internal | 5432 | app |        |",
                "jdbc:postgresql://[::1]:5433/app?ApplicationName=x                 | ::1         | 5433 | app |        |",
                "jdbc:postgresql:///my%20db?user=a%40b                              | localhost   | 5432 | my db | a@b  |",
                "JDBC:POSTGRESQL://h:1/d?connectTimeout=3                           | h           | 1    | d   |        |",
            })
    void parsesJdbcUrls(String url, String host, int port, String db, String user, String ssl) {
        PostgresConnection c = PostgresConnection.fromJdbcUrl(url);
        assertThat(c.host()).isEqualTo(host);
        assertThat(c.port()).isEqualTo(port);
        assertThat(c.database()).isEqualTo(db);
        assertThat(c.user()).isEqualTo(user);
        assertThat(c.sslMode()).isEqualTo(ssl);
        assertThat(c.hasPassword()).isFalse();
    }

    @Test
    void thePasswordGoesOnlyToTheEnvironment() {
        PostgresConnection c = PostgresConnection.fromJdbcUrl(
                "jdbc:postgresql://db:5432/app?user=backup&password=s%26cret&connectTimeout=7");

        assertThat(c.hasPassword()).isTrue();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.toString())
                .isEqualTo("postgresql://backup@db:5432/app (password set)")
                .doesNotContain("s&cret");
        assertThat(c.describe()).isEqualTo("backup@db:5432/app");
        assertThat(c.environment("bulwark-backup"))
                .containsExactly(
                        Map.entry("PGHOST", "db"),
                        Map.entry("PGPORT", "5432"),
                        Map.entry("PGDATABASE", "app"),
                        Map.entry("PGUSER", "backup"),
                        Map.entry("PGPASSWORD", "s&cret"),
                        Map.entry("PGCONNECT_TIMEOUT", "7"),
                        Map.entry("PGAPPNAME", "bulwark-backup"));
        assertThat(PostgresConnection.redactUrl("jdbc:postgresql://db/app?user=u&password=secret&x=1"))
                .isEqualTo("jdbc:postgresql://db/app?user=u&password=***&x=1");
    }

    @Test
    void readsTheLibpqEnvironment() {
        PostgresConnection c = PostgresConnection.fromEnvironment(Map.of(
                "PGHOST", "db.internal",
                "PGPORT", "6543",
                "PGUSER", "app",
                "PGPASSWORD", "pw",
                "PGSSLMODE", "verify-full"));

        assertThat(c.describe()).isEqualTo("app@db.internal:6543/app"); // database defaults to the user, as in libpq
        assertThat(c.sslMode()).isEqualTo("verify-full");
        assertThat(c.hasPassword()).isTrue();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.fromEnvironment(Map.of("PGPORT", "5432")))
                .withMessage("no database to back up: set PGDATABASE (and PGHOST, PGPORT, PGUSER) or --url");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.fromEnvironment(Map.of("PGDATABASE", "a", "PGPORT", "x")))
                .withMessage("PGPORT must be a number 1..65535: 'x'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:mysql://db/app            | backup url must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/app: 'jdbc:mysql://db/app'",
                "jdbc:postgresql://db           | backup url must name a database, as in jdbc:postgresql://host:5432/app: 'jdbc:postgresql://db'",
                "jdbc:postgresql://a,b/app      | backup url must name one host; pg_dump needs the primary (or a replica) only: 'jdbc:postgresql://a,b/app'",
                "jdbc:postgresql://db:99999/app | backup url port must be 1..65535: 99999",
                "jdbc:postgresql://db/app?sslmode=maybe&password=x | ssl mode must be disable, allow, prefer, require, verify-ca or verify-full: 'maybe'",
            })
    void rejectsBadUrls(String url, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.fromJdbcUrl(url))
                .withMessage(message);
    }

    @Test
    void builderValidatesEagerly() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.builder().port(0))
                .withMessage("database port must be 1..65535: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.builder().host("db internal"))
                .withMessage("database host must be one host name or address without spaces or commas: 'db internal'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.builder().database("x".repeat(64)))
                .withMessageStartingWith("database name must be at most 63 bytes (PostgreSQL's NAMEDATALEN)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresConnection.builder().build())
                .withMessage("database must be set: the name of the database to back up");
        assertThatNullPointerException().isThrownBy(() -> PostgresConnection.fromJdbcUrl(null));
    }

    @Test
    void jobBuilderNamesMissingSettings() {
        assertThatIllegalStateException()
                .isThrownBy(() -> BackupJob.builder().directory(Path.of("x")).build())
                .withMessage("backup connection must be set: the database to back up");
        assertThatIllegalStateException()
                .isThrownBy(() -> BackupJob.builder()
                        .connection(PostgresConnection.builder().database("app").build())
                        .build())
                .withMessage("backup directory must be set: where backups are written");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupJob.builder().timeout(Duration.ZERO))
                .withMessage("backup timeout must be between 1 s and 7 d: PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupJob.builder().logRetention(Duration.ofHours(1)))
                .withMessage("backup log retention must be at least 1 day: PT1H");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupJob.builder().pgDump(" "))
                .withMessage("pg_dump must be a command or a path: ' '");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupFormat.parse("tar"))
                .withMessage("backup format must be custom (pg_dump -Fc) or plain (SQL, gzipped): 'tar'");
    }

    @Test
    void jobDefaults() {
        BackupJob job = BackupJob.builder()
                .connection(PostgresConnection.builder().database("app").build())
                .directory(Path.of("/var/backups/db"))
                .build();

        assertThat(job.format()).isEqualTo(BackupFormat.CUSTOM);
        assertThat(job.retention()).isEqualTo(RetentionPolicy.days(7));
        assertThat(job.logRetention()).isEqualTo(Duration.ofDays(14));
        assertThat(job.logDirectory()).isEqualTo(Path.of("/var/backups/db/logs"));
        assertThat(job.pgDump()).isEqualTo("pg_dump");
        assertThat(job.pgRestore()).isEqualTo("pg_restore");
        assertThat(job.psql()).isEqualTo("psql");
        assertThat(job.timeout()).isEqualTo(Duration.ofHours(6));
        assertThat(job.toBuilder().build().toString()).isEqualTo(job.toString());
        assertThat(job.toString())
                .isEqualTo("BackupJob{postgresql://localhost:5432/app -> /var/backups/db, custom format, keep 7 days}");
    }
}
