package dev.ponte.campaigns;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a campaign's messages may be due, in the clinic's time zone: on {@code days}, from {@code from} (inclusive)
 * to {@code to} (exclusive). The messaging core's quiet hours and cadence still apply on top: they can only defer a
 * message further.
 */
public record SendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

    public SendWindow {
        days = Set.copyOf(days);
        if (days.isEmpty() || !from.isBefore(to)) {
            throw new IllegalArgumentException("a send window needs a day and from before to");
        }
    }

    /** Monday to Friday, 09:00 to 18:00. */
    public static SendWindow defaults() {
        return new SendWindow(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(18, 0));
    }

    /** {@code t} itself when inside the window, else the window's next opening. */
    public Instant next(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        for (int i = 0; i < 8; i++) {
            if (days.contains(z.getDayOfWeek())) {
                LocalTime time = z.toLocalTime();
                if (time.isBefore(from)) {
                    return z.toLocalDate().atTime(from).atZone(zone).toInstant();
                }
                if (time.isBefore(to)) {
                    return z.toInstant();
                }
            }
            z = z.toLocalDate().plusDays(1).atStartOfDay(zone);
        }
        throw new IllegalStateException("unreachable: a window has at least one day");
    }

    @Override
    public String toString() {
        return new TreeSet<>(days) + " " + from + "–" + to;
    }
}
