package dev.bulwark.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static List<String> runs(BackupSchedule schedule, String after, int count) {
        List<String> runs = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < count; i++) {
            t = schedule.next(t);
            runs.add(t.toString());
        }
        return runs;
    }

    @Test
    void twoAmInParisAcrossTheSpringChange() {
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST, so 02:00 does not exist and runs at 03:00 CEST
        assertThat(runs(BackupSchedule.daily(LocalTime.of(2, 0), PARIS), "2026-03-27T12:00:00Z", 4))
                .containsExactly(
                        "2026-03-28T01:00:00Z", // 02:00 CET
                        "2026-03-29T01:00:00Z", // 03:00 CEST: right after the gap
                        "2026-03-30T00:00:00Z", // 02:00 CEST
                        "2026-03-31T00:00:00Z");
    }

    @Test
    void twoAmInParisAcrossTheAutumnChangeRunsOnce() {
        // 2026-10-25: 02:00-03:00 happens twice (CEST, then CET); the backup runs once, at the first 02:00
        assertThat(runs(BackupSchedule.daily("02:00", PARIS), "2026-10-23T12:00:00Z", 4))
                .containsExactly(
                        "2026-10-24T00:00:00Z", // 02:00 CEST
                        "2026-10-25T00:00:00Z", // the first 02:00 (CEST)
                        "2026-10-26T01:00:00Z", // 02:00 CET
                        "2026-10-27T01:00:00Z");
        // asked during the repeated hour, after the run: the next run is tomorrow, not the second 02:00
        assertThat(BackupSchedule.daily("02:00", PARIS).next(Instant.parse("2026-10-25T00:30:00Z")))
                .isEqualTo("2026-10-26T01:00:00Z");
    }

    @Test
    void cronFollowsTheSameDaylightSavingRules() {
        BackupSchedule cron = BackupSchedule.cron("30 2 * * *", PARIS);
        assertThat(runs(cron, "2026-03-28T12:00:00Z", 2))
                .containsExactly("2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"); // 03:30 CEST after the gap
        assertThat(runs(cron, "2026-10-24T12:00:00Z", 2))
                .containsExactly("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"); // once in the repeated hour
        assertThat(runs(BackupSchedule.cron("0 2 * * *", PARIS), "2026-03-27T12:00:00Z", 4))
                .isEqualTo(runs(BackupSchedule.daily("02:00", PARIS), "2026-03-27T12:00:00Z", 4));
    }

    @ParameterizedTest(name = "{0} after {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0 2 * * *              | 2026-01-01T00:00:00Z | 2026-01-01T02:00:00Z",
                "0 2 * * *              | 2026-01-01T02:00:00Z | 2026-01-02T02:00:00Z",
                "*/15 9-17 * * mon-fri  | 2026-01-02T17:50:00Z | 2026-01-05T09:00:00Z",
                "*/15 9-17 * * 1-5      | 2026-01-05T09:00:00Z | 2026-01-05T09:15:00Z",
                "0 0 29 2 *             | 2026-01-01T00:00:00Z | 2028-02-29T00:00:00Z",
                "0 3 1,15 * 1           | 2026-01-02T00:00:00Z | 2026-01-05T03:00:00Z",
                "0 3 1,15 * 1           | 2026-01-12T03:00:00Z | 2026-01-15T03:00:00Z",
                "0 4 * * 7              | 2026-01-01T00:00:00Z | 2026-01-04T04:00:00Z",
                "0 4 * * SUN            | 2026-01-01T00:00:00Z | 2026-01-04T04:00:00Z",
                "5 0 * jul-aug *        | 2026-01-01T00:00:00Z | 2026-07-01T00:05:00Z",
                "0 22 * * 1-5/2         | 2026-01-01T00:00:00Z | 2026-01-02T22:00:00Z",
                "@daily                 | 2026-01-01T10:00:00Z | 2026-01-02T00:00:00Z",
                "@hourly                | 2026-01-01T10:00:00Z | 2026-01-01T11:00:00Z",
                "@weekly                | 2026-01-01T10:00:00Z | 2026-01-04T00:00:00Z",
                "@monthly               | 2026-01-01T10:00:00Z | 2026-02-01T00:00:00Z",
                "@yearly                | 2026-01-01T10:00:00Z | 2027-01-01T00:00:00Z",
            })
    void cronNextRunTimes(String expression, String after, String expected) {
        assertThat(BackupSchedule.cron(expression.strip(), ZoneOffset.UTC).next(Instant.parse(after)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0 2 * *       | cron expression must have 5 fields (minute hour day-of-month month day-of-week), such as"
                        + " '0 2 * * *' for 02:00 daily: '0 2 * *'",
                "60 2 * * *    | cron minute field '60' is invalid: values must be 0..59",
                "0 24 * * *    | cron hour field '24' is invalid: values must be 0..23",
                "0 2 0 * *     | cron day-of-month field '0' is invalid: values must be 1..31",
                "0 2 * 13 *    | cron month field '13' is invalid: values must be 1..12",
                "0 2 * * 8     | cron day-of-week field '8' is invalid: values must be 0..7",
                "0 2 * * funday| cron day-of-week field 'funday' is invalid: 'funday' is not a number or a name",
                "5-1 * * * *   | cron minute field '5-1' is invalid: range 5-1 goes backwards",
                "*/0 * * * *   | cron minute field '*/0' is invalid: step must be 1..59",
                "1,,2 * * * *  | cron minute field '1,,2' is invalid: empty list element",
                "0 0 31 2 *    | cron expression never matches a date: '0 0 31 2 *'",
                "@reboot       | unknown cron macro '@reboot': use @yearly, @monthly, @weekly, @daily, @hourly or 5 fields",
            })
    void invalidCronExpressionsNameTheField(String expression, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupSchedule.cron(expression.strip(), ZoneOffset.UTC))
                .withMessage(message.strip());
    }

    @Test
    void invalidDailyTime() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackupSchedule.daily("25:00", PARIS))
                .withMessage("backup time must be a time of day such as 02:00 or 23:30: '25:00'");
    }

    @Test
    void describesItself() {
        assertThat(BackupSchedule.daily("02:00", PARIS)).hasToString("daily at 02:00 (Europe/Paris)");
        assertThat(BackupSchedule.cron("0 2 * * *", ZoneOffset.UTC)).hasToString("cron '0 2 * * *' (Z)");
        assertThat(BackupSchedule.cron("0 2 * * *", PARIS).cronExpression()).contains("0 2 * * *");
        assertThat(BackupSchedule.daily("02:00", PARIS).time()).contains(LocalTime.of(2, 0));
        assertThat(BackupSchedule.daily("02:00", PARIS)).isEqualTo(BackupSchedule.daily(LocalTime.of(2, 0), PARIS));
    }
}
