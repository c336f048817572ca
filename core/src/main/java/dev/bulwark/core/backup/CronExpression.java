package dev.bulwark.core.backup;

import static dev.bulwark.core.internal.Checks.escape;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A classic 5-field cron expression ({@code minute hour day-of-month month day-of-week}), as crontab(5) defines it.
 *
 * <p>Each field is {@code *}, a value, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}, or a comma-separated
 * list of those; months and days of the week also take names ({@code jan}, {@code mon}); day of week {@code 0} and
 * {@code 7} are Sunday. When both day fields are restricted (neither starts with {@code *}), a day matches if either
 * does, as in Vixie cron. Macros: <code>&#64;yearly</code> (<code>&#64;annually</code>), <code>&#64;monthly</code>, <code>&#64;weekly</code>,
 * <code>&#64;daily</code> (<code>&#64;midnight</code>), <code>&#64;hourly</code>. Immutable and safe for concurrent use.
 */
final class CronExpression {

    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    /** How far {@link #next} searches: leap days come back within 8 years (2096 to 2104). */
    private static final int SEARCH_YEARS = 9;

    private final String expression;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private CronExpression(String expression, String[] f) {
        this.expression = expression;
        this.minutes = parseField(f[0], "minute", 0, 59, null);
        this.hours = parseField(f[1], "hour", 0, 23, null);
        this.daysOfMonth = parseField(f[2], "day-of-month", 1, 31, null);
        this.months = parseField(f[3], "month", 1, 12, MONTHS);
        long dow = parseField(f[4], "day-of-week", 0, 7, DAYS);
        if ((dow & (1L << 7)) != 0) {
            dow = (dow | 1L) & ~(1L << 7);
        }
        this.daysOfWeek = dow;
        this.domRestricted = !f[2].startsWith("*");
        this.dowRestricted = !f[4].startsWith("*");
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException naming the field, the rule and the value, or if the expression never matches
     */
    static CronExpression parse(String expression) {
        String e = expression.strip();
        String expanded =
                switch (e.toLowerCase(Locale.ROOT)) {
                    case "@yearly", "@annually" -> "0 0 1 1 *";
                    case "@monthly" -> "0 0 1 * *";
                    case "@weekly" -> "0 0 * * 0";
                    case "@daily", "@midnight" -> "0 0 * * *";
                    case "@hourly" -> "0 * * * *";
                    default -> e;
                };
        if (expanded.startsWith("@")) {
            throw new IllegalArgumentException("unknown cron macro '" + escape(e)
                    + "': use @yearly, @monthly, @weekly, @daily, @hourly or 5 fields");
        }
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("cron expression must have 5 fields (minute hour day-of-month month"
                    + " day-of-week), such as '0 2 * * *' for 02:00 daily: '" + escape(expression) + "'");
        }
        CronExpression cron = new CronExpression(e, fields);
        Instant probe = LocalDate.of(2000, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (cron.next(probe, ZoneOffset.UTC) == null) {
            throw new IllegalArgumentException("cron expression never matches a date: '" + escape(expression) + "'");
        }
        return cron;
    }

    /** Returns the first matching time strictly after {@code after}, or {@code null} if none within 9 years. */
    @Nullable
    Instant next(Instant after, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone)
                .truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!has(months, t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            if (!has(hours, t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!has(minutes, t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            // a local time in a gap (clocks go forward) runs at the same offset after the gap; a repeated local time
            // (clocks go back) runs once, at its first occurrence
            ZonedDateTime z = ZonedDateTime.ofLocal(t, zone, null);
            if (z.toInstant().isAfter(after)) {
                return z.toInstant();
            }
            t = t.plusMinutes(1);
        }
        return null;
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = has(daysOfMonth, date.getDayOfMonth());
        DayOfWeek d = date.getDayOfWeek();
        boolean dow = has(daysOfWeek, d == DayOfWeek.SUNDAY ? 0 : d.getValue());
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private static long parseField(String field, String name, int min, int max, @Nullable List<String> names) {
        long bits = 0;
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                throw bad(name, field, "empty list element");
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, field, null);
                if (step < 1 || step > max) {
                    throw bad(name, field, "step must be 1.." + max);
                }
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max == 7 ? 6 : max;
            } else {
                int dash = range.indexOf('-');
                if (dash > 0) {
                    lo = number(range.substring(0, dash), name, field, names);
                    hi = number(range.substring(dash + 1), name, field, names);
                } else {
                    lo = number(range, name, field, names);
                    hi = slash >= 0 ? (max == 7 ? 6 : max) : lo;
                }
            }
            if (lo < min || hi > max || lo > max || hi < min) {
                throw bad(name, field, "values must be " + min + ".." + max);
            }
            if (lo > hi) {
                throw bad(name, field, "range " + lo + "-" + hi + " goes backwards");
            }
            for (int v = lo; v <= hi; v += step) {
                bits |= 1L << v;
            }
        }
        return bits;
    }

    private static int number(String s, String name, String field, @Nullable List<String> names) {
        if (names != null) {
            int i = names.indexOf(s.toLowerCase(Locale.ROOT));
            if (i >= 0) {
                return names == MONTHS ? i + 1 : i;
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(name, field, "'" + s + "' is not a number" + (names == null ? "" : " or a name"));
        }
    }

    private static IllegalArgumentException bad(String name, String field, String why) {
        return new IllegalArgumentException("cron " + name + " field '" + escape(field) + "' is invalid: " + why);
    }

    @Override
    public String toString() {
        return expression;
    }
}
