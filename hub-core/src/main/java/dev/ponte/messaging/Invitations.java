package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Appointments as entries of the patient's own calendar: an e-mail with an iCalendar invitation
 * ({@link OutboundMessage.Invitation}) when an appointment is booked, another with a higher {@code SEQUENCE} when
 * its time, place, professional or procedure changes, and a {@code METHOD:CANCEL} one when it is cancelled after an
 * invitation went out. Business keys {@code invitation:<appointment>}, {@code #2}, {@code #3}... (the generation
 * number, minus one, is the SEQUENCE); template {@value #TEMPLATE}, or {@value #CANCEL_TEMPLATE} for the withdrawal.
 * Each generation keeps the {@code revision} of the appointment it announces (a hash of what the calendar shows, or
 * {@value #CANCELLED}), so an event that changes nothing the calendar shows sends nothing, and applying an event twice
 * changes nothing.
 *
 * <p>An invitation not yet handed to a channel when the appointment changes again is superseded (CANCELLED) by the
 * next generation; a cancellation before any invitation went out sends nothing. Invitations go only on channels their
 * templates name (the shipped ones: EMAIL) and need the patient's consent to reminders, as reminders do.
 */
public final class Invitations {

    /** The template of an invitation. */
    public static final String TEMPLATE = "invitation";
    /** The template of a withdrawn invitation. */
    public static final String CANCEL_TEMPLATE = "invitation-cancelled";
    /** The revision of a withdrawal. */
    static final String CANCELLED = "cancelled";
    /** How the reason of a generation superseded before it went out starts. */
    private static final String SUPERSEDED = "superseded: ";
    /** The appointment statuses that withdraw the calendar entry. */
    private static final Set<String> WITHDRAWN = Set.of("CANCELLED", "RESCHEDULED");
    /** Statuses of a generation that reached (or is reaching) the patient. */
    private static final Set<MessageStatus> HANDED = Set.of(MessageStatus.QUEUED, MessageStatus.SENT,
            MessageStatus.DELIVERED, MessageStatus.READ);

    private final MessagingSettings.InvitationSettings settings;

    public Invitations(MessagingSettings.InvitationSettings settings) {
        this.settings = settings;
    }

    /** The business key of an appointment's first invitation. */
    public static String businessKey(String appointmentId) {
        return "invitation:" + appointmentId;
    }

    /**
     * Brings an appointment's calendar invitations in line with the appointment as the hub holds it now.
     *
     * @return how many invitations were scheduled or superseded
     */
    public int onAppointment(Connection c, String appointmentId, JsonNode appointment, Instant now)
            throws SQLException {
        if (!settings.enabled()) {
            return 0;
        }
        Instant start;
        try {
            start = OffsetDateTime.parse(appointment.path("start").asText()).toInstant();
            OffsetDateTime.parse(appointment.path("end").asText());
        } catch (RuntimeException e) {
            return 0; // not a valid appointment: the store would not hold it
        }
        String status = appointment.path("status").asText();
        boolean withdrawn = WITHDRAWN.contains(status);
        if (!withdrawn && !Reminders.ACTIVE.contains(status)) {
            return 0; // attended, missed: the calendar entry stays as it is
        }
        String revision = withdrawn ? CANCELLED : revision(appointment);
        List<Messages.StoredMessage> generations = Messages.generations(c, businessKey(appointmentId));
        Optional<Messages.StoredMessage> latest = generations.stream()
                .max(Comparator.comparingInt(m -> generation(m.businessKey())));
        // a generation superseded without a successor (the appointment was cancelled, or moved into the past, before
        // it went out) announces nothing: the appointment coming back as it was still needs its invitation
        boolean announced = latest.isPresent() && !(latest.get().status() == MessageStatus.CANCELLED
                && latest.get().reason() != null && latest.get().reason().startsWith(SUPERSEDED));
        if (announced && revision.equals(Messages.revision(c, latest.get().id()).orElse(null))) {
            return 0; // nothing the calendar shows changed
        }
        int changed = 0;
        if (latest.isPresent() && latest.get().status() == MessageStatus.SCHEDULED) {
            Messages.StoredMessage m = latest.get();
            String why = SUPERSEDED + Reminders.APPOINTMENT + " changed before the invitation went out";
            Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
            Messages.step(c, m.id(), now, "appointment", "CANCELLED", null, why);
            changed++;
        }
        boolean everHanded = generations.stream().anyMatch(m -> HANDED.contains(m.status()));
        if (withdrawn && !everHanded) {
            return changed; // the patient's calendar never had it
        }
        if (!withdrawn && !start.isAfter(now)) {
            return changed; // past: no invitation for it
        }
        int next = latest.map(m -> generation(m.businessKey()) + 1).orElse(1);
        String key = next == 1 ? businessKey(appointmentId) : businessKey(appointmentId) + "#" + next;
        String id = Ids.newId();
        if (Messages.insert(c, new Messages.StoredMessage(id, key, appointment.path("patientId").asText(),
                appointmentId, MessagePurpose.INVITATION.id(), withdrawn ? CANCEL_TEMPLATE : TEMPLATE,
                MessageStatus.SCHEDULED, null, null, null, List.of(), now, now, null, null, null, null, now))) {
            Messages.revision(c, id, revision);
            Messages.step(c, id, now, "scheduled", "SCHEDULED", null, withdrawn
                    ? "the appointment is " + status + ": the calendar entry is withdrawn (SEQUENCE " + (next - 1) + ")"
                    : (next == 1 ? "invitation" : "the appointment changed: updated invitation") + " (SEQUENCE "
                    + (next - 1) + ")");
            changed++;
        }
        return changed;
    }

    /**
     * The calendar entry a message of purpose {@code invitation} carries, from the records as they are now.
     *
     * @return empty for other messages, or when the appointment is no longer held
     */
    Optional<OutboundMessage.Invitation> entry(Messages.StoredMessage m, Map<String, JsonNode> records,
                                               Template template, ZoneId zone) {
        JsonNode appointment = records.get("Appointment");
        if (!MessagePurpose.INVITATION.id().equals(m.purpose()) || appointment == null) {
            return Optional.empty();
        }
        String uid = m.appointmentId() + "@" + settings.uidDomain();
        boolean cancelled = CANCEL_TEMPLATE.equals(m.template());
        Locale locale = Locale.forLanguageTag(template.language());
        String summary = template.subject().isEmpty() ? "Appointment"
                : Template.join(template.subject(), records, zone, locale).strip();
        JsonNode unit = records.get("Unit");
        String location = null;
        if (unit != null) {
            String name = unit.path("name").asText("");
            String address = address(unit.path("address"));
            location = (name + (name.isEmpty() || address.isEmpty() ? "" : ", ") + address).strip();
            location = location.isEmpty() ? null : location;
        }
        return Optional.of(new OutboundMessage.Invitation(uid, generation(m.businessKey()) - 1, cancelled,
                appointment.path("start").asText(), appointment.path("end").asText(), zone.getId(), summary,
                location));
    }

    private static String address(JsonNode a) {
        if (a.isTextual()) {
            return a.asText();
        }
        StringBuilder out = new StringBuilder();
        for (String f : List.of("street", "number", "district", "city", "state")) {
            String v = a.path(f).asText("");
            if (!v.isBlank()) {
                out.append(out.length() == 0 ? "" : ", ").append(v.strip());
            }
        }
        return out.toString();
    }

    private static int generation(String key) {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? 1 : Integer.parseInt(key.substring(hash + 1));
    }

    /** A hash of what the calendar entry shows. */
    static String revision(JsonNode appointment) {
        String shown = String.join("|", appointment.path("start").asText(), appointment.path("end").asText(),
                appointment.path("procedureCode").asText(), appointment.path("professionalId").asText(),
                appointment.path("unitId").asText(), appointment.path("room").asText());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(shown.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
