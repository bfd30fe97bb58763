package dev.ponte.connectors.email;

import dev.ponte.spi.OutboundMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.DateProperty;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The iCalendar of an invitation, parsed back with ical4j. */
class InvitationsTest {

    static final String START = "2026-12-03T14:00:00-03:00";
    static final String END = "2026-12-03T14:40:00-03:00";
    static final Instant STAMP = Instant.parse("2026-12-01T12:00:00Z");

    static OutboundMessage.Invitation invitation(int sequence, boolean cancelled) {
        return new OutboundMessage.Invitation("appt-5f0c@clinica.example", sequence, cancelled, START, END,
                "America/Sao_Paulo", "Laser facial - Clínica Bella Pele", "Unidade Centro, Rua A, 10");
    }

    private static Calendar parse(String ics) throws Exception {
        return new CalendarBuilder().build(new StringReader(ics));
    }

    private static String value(Calendar c, String property) {
        return c.getProperty(property).map(Property::getValue).orElse(null);
    }

    private static VEvent event(Calendar c) {
        return c.<VEvent>getComponents("VEVENT").get(0);
    }

    private static String ev(VEvent e, String property) {
        return e.getProperty(property).map(Property::getValue).orElse(null);
    }

    private static Instant instant(VEvent e, String property) {
        DateProperty<?> p = (DateProperty<?>) e.getProperty(property).orElseThrow();
        assertThat(p.getParameter("TZID").map(t -> t.getValue())).as(property + " TZID").hasValue("America/Sao_Paulo");
        Temporal t = p.getDate();
        return Instant.from(t);
    }

    @Test
    void aRequestParsesBackWithItsUidSequenceMethodTimesAndTimeZone() throws Exception {
        String ics = new Invitations().calendar(invitation(0, false), "agenda@clinica.example", "Clínica Bella Pele",
                "ana@example.com", STAMP);
        Calendar c = parse(ics);
        assertThat(value(c, "METHOD")).isEqualTo("REQUEST");
        assertThat(value(c, "PRODID")).isEqualTo("-//Ponte//Ponte hub//PT");
        assertThat(value(c, "VERSION")).isEqualTo("2.0");
        assertThat(c.<VTimeZone>getComponents("VTIMEZONE")).singleElement().satisfies(tz ->
                assertThat(tz.getProperty("TZID").map(Property::getValue)).hasValue("America/Sao_Paulo"));
        VEvent e = event(c);
        assertThat(ev(e, "UID")).isEqualTo("appt-5f0c@clinica.example");
        assertThat(ev(e, "SEQUENCE")).isEqualTo("0");
        assertThat(ev(e, "STATUS")).isEqualTo("CONFIRMED");
        assertThat(ev(e, "SUMMARY")).isEqualTo("Laser facial - Clínica Bella Pele");
        assertThat(ev(e, "LOCATION")).isEqualTo("Unidade Centro, Rua A, 10");
        assertThat(ev(e, "DTSTAMP")).isEqualTo("20261201T120000Z");
        assertThat(instant(e, "DTSTART")).isEqualTo(OffsetDateTime.parse(START).toInstant());
        assertThat(instant(e, "DTEND")).isEqualTo(OffsetDateTime.parse(END).toInstant());
        assertThat(ics).contains("DTSTART;TZID=America/Sao_Paulo:20261203T140000");
        assertThat(ev(e, "ORGANIZER")).isEqualTo("mailto:agenda@clinica.example");
        assertThat(e.getProperty("ORGANIZER").orElseThrow().getParameter("CN").map(p -> p.getValue()))
                .hasValue("Clínica Bella Pele");
        Property attendee = e.getProperty("ATTENDEE").orElseThrow();
        assertThat(attendee.getValue()).isEqualTo("mailto:ana@example.com");
        assertThat(attendee.getParameter("ROLE").map(p -> p.getValue())).hasValue("REQ-PARTICIPANT");
        assertThat(attendee.getParameter("RSVP").map(p -> p.getValue())).hasValue("FALSE");
        assertThat(ics).contains("\r\n").doesNotContain("\n\n");
    }

    @Test
    void aCancellationHasMethodCancelStatusCancelledAndTheSameUidWithItsSequence() throws Exception {
        Calendar c = parse(new Invitations().calendar(invitation(2, true), "agenda@clinica.example", null,
                "ana@example.com", STAMP));
        assertThat(value(c, "METHOD")).isEqualTo("CANCEL");
        VEvent e = event(c);
        assertThat(ev(e, "UID")).isEqualTo("appt-5f0c@clinica.example");
        assertThat(ev(e, "SEQUENCE")).isEqualTo("2");
        assertThat(ev(e, "STATUS")).isEqualTo("CANCELLED");
        assertThat(instant(e, "DTSTART")).isEqualTo(OffsetDateTime.parse(START).toInstant());
        assertThat(e.getProperty("ORGANIZER").orElseThrow().getParameter("CN")).isEmpty();
    }

    @Test
    void timesGivenInAnotherOffsetAreShownInTheClinicsZone() throws Exception {
        var utc = new OutboundMessage.Invitation("u-1", 0, false, "2026-12-03T17:00:00Z", "2026-12-03T17:40:00Z",
                "America/Sao_Paulo", "Laser", null);
        String ics = new Invitations().calendar(utc, "agenda@clinica.example", null, "ana@example.com", STAMP);
        assertThat(ics).contains("DTSTART;TZID=America/Sao_Paulo:20261203T140000").doesNotContain("\r\nLOCATION");
        assertThat(instant(event(parse(ics)), "DTEND")).isEqualTo(Instant.parse("2026-12-03T17:40:00Z"));
    }

    @Test
    void anInvitationTheHubBuiltWronglyIsRefusedNamingTheField() {
        var backwards = new OutboundMessage.Invitation("u-1", 0, false, END, START, "America/Sao_Paulo", "x", null);
        assertThatThrownBy(() -> new Invitations().calendar(backwards, "a@b.example", null, "c@d.example", STAMP))
                .hasMessageContaining("end is not after its start");
        var noOffset = new OutboundMessage.Invitation("u-1", 0, false, "2026-12-03T14:00", END, "America/Sao_Paulo",
                "x", null);
        assertThatThrownBy(() -> new Invitations().calendar(noOffset, "a@b.example", null, "c@d.example", STAMP))
                .hasMessageContaining("start is not an ISO-8601 time with an offset");
        var zone = new OutboundMessage.Invitation("u-1", 0, false, START, END, "Mars/Olympus", "x", null);
        assertThatThrownBy(() -> new Invitations().calendar(zone, "a@b.example", null, "c@d.example", STAMP))
                .hasMessageContaining("time zone");
    }
}
