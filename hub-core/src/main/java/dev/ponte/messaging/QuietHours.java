package dev.ponte.messaging;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When the clinic does not message patients, in its time zone: every day from {@code start} to {@code end} (across
 * midnight when start is after end; default 20:00–08:00) and whole days (default Sunday).
 */
public record QuietHours(LocalTime start, LocalTime end, Set<DayOfWeek> days, ZoneId zone) {

    public QuietHours {
        days = Set.copyOf(days);
    }

    /** Whether {@code t} falls inside the quiet hours. */
    public boolean isQuiet(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        if (days.contains(z.getDayOfWeek())) {
            return true;
        }
        LocalTime time = z.toLocalTime();
        if (start.equals(end)) {
            return false;
        }
        return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    /** {@code t} itself when allowed, else the first allowed moment after it (the end of the quiet period). */
    public Instant nextAllowed(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        for (int i = 0; i < 16 && isQuiet(z.toInstant()); i++) {
            LocalTime time = z.toLocalTime();
            if (days.contains(z.getDayOfWeek())) {
                z = z.toLocalDate().plusDays(1).atTime(start.isAfter(end) ? end : LocalTime.MIDNIGHT).atZone(zone);
                if (start.isBefore(end) && isQuiet(z.toInstant())) {
                    z = z.toLocalDate().atTime(end).atZone(zone);
                }
            } else if (start.isAfter(end) && !time.isBefore(start)) {
                z = z.toLocalDate().plusDays(1).atTime(end).atZone(zone);
            } else {
                z = z.toLocalDate().atTime(end).atZone(zone);
            }
        }
        return z.toInstant();
    }

    @Override
    public String toString() {
        return start + "–" + end + (days.isEmpty() ? "" : " and " + days) + " (" + zone + ")";
    }
}
