package dev.ponte.connectors.googlecalendar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import dev.ponte.spi.ExternalChange;
import dev.ponte.json.Json;
import dev.ponte.spi.OutboundCommand;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** Appointment commands ↔ Google Calendar events. Only clinic-neutral data goes into events: no CPF, no phone. */
final class EventMapper {

    static final String APPOINTMENT_ID = "ponteAppointmentId";
    static final String INSTANCE = "ponteInstance";
    static final String SYSTEM = "google-calendar";
    private static final java.time.format.DateTimeFormatter RFC3339 =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();

    private final String instance;
    private final ZoneId zone;
    private final boolean patientInTitle;

    EventMapper(String instance, ZoneId zone, boolean patientInTitle) {
        this.instance = instance;
        this.zone = zone;
        this.patientInTitle = patientInTitle;
    }

    /**
     * The event id of an appointment: base32hex of its canonical id, so the same appointment always has the same
     * event (an insert repeated after a crash is a 409, not a second event). Google accepts [a-v0-9]{5,1024}.
     */
    static String eventId(String canonicalId) {
        byte[] bytes = canonicalId.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("p");
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | b & 0xff;
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32HEX[buffer >> bits - 5 & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32HEX[buffer << 5 - bits & 31]);
        }
        return out.toString();
    }

    /** The event for an appointment: title, room, times in the clinic's zone, our ids in private properties. */
    Event toEvent(OutboundCommand command) {
        String procedure = Optional.ofNullable(command.related("procedureCode", "name"))
                .orElse(command.text("procedureCode"));
        String patient = command.related("patientId", "socialName") != null ? command.related("patientId",
                "socialName") : command.related("patientId", "name");
        String title = procedure + (patientInTitle && patient != null ? " · " + patient.strip().split("\\s+")[0] : "");
        return new Event()
                .setId(eventId(command.canonicalId()))
                .setSummary(title)
                .setLocation(command.text("room"))
                .setDescription("Agendamento sincronizado pelo Ponte. Altere horário aqui ou no sistema da clínica.")
                .setStart(time(command.text("start")))
                .setEnd(time(command.text("end")))
                .setStatus("confirmed")
                .setExtendedProperties(new Event.ExtendedProperties().setPrivate(new java.util.HashMap<>(Map.of(
                        APPOINTMENT_ID, command.canonicalId(), INSTANCE, instance))));
    }

    private EventDateTime time(String isoOffsetDateTime) {
        OffsetDateTime t = OffsetDateTime.parse(isoOffsetDateTime).atZoneSameInstant(zone).toOffsetDateTime();
        return new EventDateTime().setDateTime(new DateTime(RFC3339.format(t))).setTimeZone(zone.getId());
    }

    /**
     * The change an event of ours in Google means for the hub: moved (new start/end) or deleted (CANCELLED); empty
     * for events Ponte did not create.
     */
    Optional<ExternalChange> toChange(Event event, String correlationId) {
        Map<String, String> ours = event.getExtendedProperties() == null ? null
                : event.getExtendedProperties().getPrivate();
        String appointmentId = ours == null ? null : ours.get(APPOINTMENT_ID);
        if (appointmentId == null) {
            return Optional.empty();
        }
        ObjectNode fields = Json.MAPPER.createObjectNode();
        if ("cancelled".equals(event.getStatus())) {
            fields.put("status", "CANCELLED");
        } else {
            if (event.getStart() == null || event.getStart().getDateTime() == null || event.getEnd() == null
                    || event.getEnd().getDateTime() == null) {
                return Optional.empty(); // turned into an all-day event: not an appointment time, left alone
            }
            fields.set("start", Json.MAPPER.valueToTree(local(event.getStart().getDateTime())));
            fields.set("end", Json.MAPPER.valueToTree(local(event.getEnd().getDateTime())));
        }
        Instant changed = event.getUpdated() == null ? Instant.now()
                : Instant.ofEpochMilli(event.getUpdated().getValue());
        return Optional.of(new ExternalChange(instance, SYSTEM, "Appointment", event.getId(), appointmentId, fields,
                changed, correlationId));
    }

    private OffsetDateTime local(DateTime t) {
        return Instant.ofEpochMilli(t.getValue()).atZone(zone).toOffsetDateTime();
    }
}
