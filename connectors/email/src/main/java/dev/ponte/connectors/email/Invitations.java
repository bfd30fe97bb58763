package dev.ponte.connectors.email;

import dev.ponte.spi.OutboundMessage;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The iCalendar (RFC 5545, iTIP RFC 5546) of an {@link OutboundMessage.Invitation}, built with ical4j 4.x: what
 * Gmail, Outlook and Apple Mail show as an invitation with "add to calendar", and update or withdraw when a later
 * message carries the same UID with a higher SEQUENCE.
 *
 * <p>The calendar holds {@code VERSION:2.0}, {@code PRODID:-//Ponte//Ponte hub//PT}, {@code CALSCALE:GREGORIAN},
 * {@code METHOD:REQUEST} (or {@code METHOD:CANCEL} for a cancelled appointment), the {@code VTIMEZONE} of the clinic's
 * zone from ical4j's {@link TimeZoneRegistry}, and one {@code VEVENT}: UID and SEQUENCE as the hub gave them, DTSTAMP
 * (when the calendar was built, UTC), DTSTART and DTEND with {@code TZID} of the clinic's zone (the instants of the
 * ISO offsets given, shown in that zone), SUMMARY, LOCATION when given, ORGANIZER {@code mailto:} the sender with its
 * CN, ATTENDEE {@code mailto:} the patient (REQ-PARTICIPANT, RSVP=FALSE: the hub takes answers by e-mail reply, not as
 * iTIP REPLY) and STATUS CONFIRMED or CANCELLED. Thread safe.
 */
final class Invitations {

    /** The product id of every calendar. */
    static final String PRODID = "-//Ponte//Ponte hub//PT";

    private final TimeZoneRegistry registry = TimeZoneRegistryFactory.getInstance().createRegistry();

    /**
     * The calendar as text (CRLF lines, folded at 75 octets).
     *
     * @param invitation     the hub's calendar entry
     * @param organizer      the sender's address (ORGANIZER)
     * @param organizerName  the sender's display name (CN), or {@code null}
     * @param attendee       the patient's address (ATTENDEE)
     * @param stamp          when the calendar is built (DTSTAMP)
     * @throws IllegalArgumentException when the start or end is not ISO-8601 with an offset, the end is not after the
     *                                  start, or the time zone is unknown; the message names the field, not the value
     */
    String calendar(OutboundMessage.Invitation invitation, String organizer, String organizerName, String attendee,
                    Instant stamp) {
        ZoneId zone = zone(invitation.timeZone());
        ZonedDateTime start = instant("start", invitation.start()).atZone(zone);
        ZonedDateTime end = instant("end", invitation.end()).atZone(zone);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the invitation's end is not after its start");
        }
        TimeZone tz = registry.getTimeZone(invitation.timeZone());
        if (tz == null) {
            throw new IllegalArgumentException("the invitation's time zone is not in ical4j's time-zone registry");
        }
        // ical4j writes the TZID of a ZonedDateTime's zone, which the VTIMEZONE below describes
        VEvent event = new VEvent(start, end, invitation.summary());
        event.add(new Uid(invitation.uid()));
        event.add(new Sequence(invitation.sequence()));
        event.replace(new DtStamp(stamp.truncatedTo(ChronoUnit.SECONDS)));
        if (invitation.location() != null && !invitation.location().isBlank()) {
            event.add(new Location(invitation.location()));
        }
        Organizer org = new Organizer(URI.create("mailto:" + organizer));
        if (organizerName != null && !organizerName.isBlank()) {
            org.add(new Cn(organizerName));
        }
        event.add(org);
        Attendee att = new Attendee(URI.create("mailto:" + attendee));
        att.add(Role.REQ_PARTICIPANT);
        att.add(Rsvp.FALSE);
        event.add(att);
        event.add(invitation.cancelled() ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);

        Calendar calendar = new Calendar();
        calendar.add(new ProdId(PRODID));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(invitation.cancelled() ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST);
        calendar.add(tz.getVTimeZone());
        calendar.add(event);
        return calendar.toString();
    }

    /** {@code REQUEST} or {@code CANCEL}: the {@code method} parameter of the {@code text/calendar} part. */
    static String method(OutboundMessage.Invitation invitation) {
        return invitation.cancelled() ? "CANCEL" : "REQUEST";
    }

    private static Instant instant(String field, String iso) {
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the invitation's " + field + " is not an ISO-8601 time with an "
                    + "offset such as 2026-12-03T14:00:00-03:00");
        }
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("the invitation's time zone is not an IANA time-zone id such as "
                    + "America/Sao_Paulo");
        }
    }
}
