package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Appointment reminders: one message per lead time ({@code ponte.flows.reminders.lead-times}), business key
 * {@code reminder:<appointment>:<lead>}, template {@value #TEMPLATE}. An appointment that is created or changed
 * schedules the reminders still ahead of it; moved, it moves those not yet sent; cancelled (or replaced, attended,
 * missed), it cancels them. A reminder already handed to a channel is never sent again, whatever happens.
 */
public final class Reminders {

    /** The template reminders use. */
    public static final String TEMPLATE = "reminder";
    private static final Set<String> ACTIVE = Set.of("SCHEDULED", "CONFIRMED");

    private final List<Duration> leads;

    public Reminders(List<Duration> leads) {
        this.leads = List.copyOf(leads);
    }

    /** The business key of an appointment's reminder at a lead time. */
    public static String businessKey(String appointmentId, Duration lead) {
        return "reminder:" + appointmentId + ":" + MessagingSettings.format(lead);
    }

    /**
     * Brings an appointment's reminders in line with the appointment as the hub holds it now.
     *
     * @param appointment the canonical record (JSON)
     * @return how many reminders were scheduled, moved or cancelled
     */
    public int onAppointment(Connection c, String appointmentId, JsonNode appointment, Instant now)
            throws SQLException {
        Instant start;
        try {
            start = OffsetDateTime.parse(appointment.path("start").asText()).toInstant();
        } catch (RuntimeException e) {
            return 0; // not a valid appointment: the store would not hold it
        }
        String status = appointment.path("status").asText();
        int changed = 0;
        if (!ACTIVE.contains(status) || !start.isAfter(now)) {
            String why = !ACTIVE.contains(status) ? "the appointment is " + status : "the appointment is past";
            for (Messages.StoredMessage m : Messages.byAppointment(c, appointmentId)) {
                if (m.status() == MessageStatus.SCHEDULED && m.purpose().equals(MessagePurpose.REMINDER.id())) {
                    Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
                    Messages.step(c, m.id(), now, "appointment", "CANCELLED", null, why);
                    changed++;
                }
            }
            return changed;
        }
        String patientId = appointment.path("patientId").asText();
        for (Duration lead : leads) {
            String key = businessKey(appointmentId, lead);
            Instant when = start.minus(lead);
            Optional<Messages.StoredMessage> existing = Messages.byKey(c, key);
            if (existing.isEmpty()) {
                if (!when.isAfter(now)) {
                    continue; // booked too late for this lead time
                }
                String id = Ids.newId();
                Messages.insert(c, new Messages.StoredMessage(id, key, patientId, appointmentId,
                        MessagePurpose.REMINDER.id(), TEMPLATE, MessageStatus.SCHEDULED, null, null, null, List.of(),
                        when, when, null, null, null, null, now));
                Messages.step(c, id, now, "scheduled", "SCHEDULED", null, MessagingSettings.format(lead)
                        + " before the appointment, at " + when);
                changed++;
                continue;
            }
            Messages.StoredMessage m = existing.get();
            boolean pending = m.status() == MessageStatus.SCHEDULED || m.status() == MessageStatus.CANCELLED;
            if (pending && (!m.scheduledFor().equals(when) || m.status() == MessageStatus.CANCELLED)) {
                if (!when.isAfter(now)) {
                    if (m.status() == MessageStatus.SCHEDULED) {
                        Messages.update(c, m.with(MessageStatus.CANCELLED, "the appointment moved to less than "
                                + MessagingSettings.format(lead) + " ahead", now));
                        Messages.step(c, m.id(), now, "appointment", "CANCELLED", null, "moved too close");
                        changed++;
                    }
                    continue;
                }
                Messages.update(c, m.rescheduled(when).with(MessageStatus.SCHEDULED, "the appointment moved", now));
                Messages.step(c, m.id(), now, "moved", "SCHEDULED", null, "from " + m.scheduledFor() + " to "
                        + when);
                changed++;
            }
        }
        return changed;
    }
}
