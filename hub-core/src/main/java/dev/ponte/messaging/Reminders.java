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
 * schedules the reminders still ahead of it; moved, it moves those not yet sent, and one already sent for the old time
 * gets a new one for the new time ({@code reminder:<appointment>:<lead>#2}, {@code #3}, ...); cancelled (or replaced, attended,
 * missed), it cancels them. A reminder already handed to a channel is never sent again, whatever happens.
 */
public final class Reminders {

    /** The template reminders use. */
    public static final String TEMPLATE = "reminder";
    /** The appointment statuses that still get reminders. */
    static final Set<String> ACTIVE = Set.of("SCHEDULED", "CONFIRMED");
    /** How every reason about the appointment starts (a reminder cancelled for it may come back if it does). */
    static final String APPOINTMENT = "the appointment";

    private final List<Duration> leads;

    public Reminders(List<Duration> leads) {
        this.leads = List.copyOf(leads);
    }

    /** The statuses of a reminder handed to a channel already: it is never sent again, whatever happens. */
    private static final Set<MessageStatus> HANDED = Set.of(MessageStatus.QUEUED, MessageStatus.SENT,
            MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.FAILED);

    private static int generation(String key) {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? 1 : Integer.parseInt(key.substring(hash + 1));
    }

    private static int schedule(Connection c, String key, String patientId, String appointmentId, Duration lead,
                                Instant when, Instant now) throws SQLException {
        if (!when.isAfter(now)) {
            return 0; // booked (or moved) too late for this lead time
        }
        String id = Ids.newId();
        if (!Messages.insert(c, new Messages.StoredMessage(id, key, patientId, appointmentId,
                MessagePurpose.REMINDER.id(), TEMPLATE, MessageStatus.SCHEDULED, null, null, null, List.of(), when,
                when, null, null, null, null, now))) {
            return 0;
        }
        Messages.step(c, id, now, "scheduled", "SCHEDULED", null, MessagingSettings.format(lead)
                + " before the appointment, at " + when);
        return 1;
    }

    /**
     * The lead times of an appointment's reminders: its package enrollment's own ({@code
     * PackageEnrollment.reminderLeadHours}, when the source system sets one), else the configured ones.
     */
    List<Duration> leads(Connection c, JsonNode appointment) throws SQLException {
        return packageLead(c, appointment).map(List::of).orElse(leads);
    }

    /** The appointment's package enrollment's own lead time, when it has one. */
    private static Optional<Duration> packageLead(Connection c, JsonNode appointment) throws SQLException {
        JsonNode enrollment = appointment.path("enrollmentId");
        if (!enrollment.isTextual()) {
            return Optional.empty();
        }
        Optional<JsonNode> e = MessageDispatcher.read(c, "PackageEnrollment", enrollment.asText());
        JsonNode hours = e.map(n -> n.path("reminderLeadHours")).orElse(null);
        return hours != null && hours.canConvertToInt() && hours.asInt() > 0
                ? Optional.of(Duration.ofHours(hours.asInt())) : Optional.empty();
    }

    /**
     * Cancels the scheduled reminders of lead times the appointment no longer has: its package set its own
     * ({@code own}), or no longer does and the configured ones apply again.
     */
    private static int dropOtherLeads(Connection c, String appointmentId, List<Duration> leads, boolean own,
                                      Instant now) throws SQLException {
        Set<String> keys = new java.util.HashSet<>();
        for (Duration lead : leads) {
            keys.add(businessKey(appointmentId, lead));
        }
        int changed = 0;
        for (Messages.StoredMessage m : Messages.byAppointment(c, appointmentId)) {
            String base = m.businessKey().contains("#") ? m.businessKey().substring(0, m.businessKey()
                    .lastIndexOf('#')) : m.businessKey();
            if (m.status() == MessageStatus.SCHEDULED && MessagePurpose.REMINDER.id().equals(m.purpose())
                    && !keys.contains(base)) {
                // starts with APPOINTMENT: revived if the package's own lead time goes away again
                List<String> shown = leads.stream().map(MessagingSettings::format).toList();
                String why = APPOINTMENT + (own ? "'s package sets its own reminder lead time " + shown
                        : "'s package no longer sets its own reminder lead time; the configured ones apply " + shown);
                Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
                Messages.step(c, m.id(), now, "lead-time", "CANCELLED", null, why);
                changed++;
            }
        }
        return changed;
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
            String why = APPOINTMENT + (!ACTIVE.contains(status) ? " is " + status : " is past");
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
        Optional<Duration> own = packageLead(c, appointment);
        List<Duration> leads = own.map(List::of).orElse(this.leads);
        changed += dropOtherLeads(c, appointmentId, leads, own.isPresent(), now);
        for (Duration lead : leads) {
            String base = businessKey(appointmentId, lead);
            Instant when = start.minus(lead);
            List<Messages.StoredMessage> generations = Messages.generations(c, base);
            Optional<Messages.StoredMessage> current = generations.stream()
                    .max(java.util.Comparator.comparingInt(m -> generation(m.businessKey())));
            if (current.isEmpty()) {
                changed += schedule(c, base, patientId, appointmentId, lead, when, now);
                continue;
            }
            Messages.StoredMessage m = current.get();
            boolean revivable = m.status() == MessageStatus.CANCELLED && m.reason() != null
                    && m.reason().startsWith(APPOINTMENT);
            if (m.status() == MessageStatus.SCHEDULED || revivable) {
                if (!when.isAfter(now)) {
                    if (m.status() == MessageStatus.SCHEDULED) {
                        String why = APPOINTMENT + " moved to less than " + MessagingSettings.format(lead) + " ahead";
                        Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
                        Messages.step(c, m.id(), now, "appointment", "CANCELLED", null, why);
                        changed++;
                    }
                } else if (!m.scheduledFor().equals(when) || m.status() != MessageStatus.SCHEDULED) {
                    Messages.update(c, m.rescheduled(when).with(MessageStatus.SCHEDULED, APPOINTMENT + " moved",
                            now));
                    Messages.step(c, m.id(), now, "moved", "SCHEDULED", null, "from " + m.scheduledFor() + " to "
                            + when);
                    changed++;
                }
            } else if (HANDED.contains(m.status()) && !m.scheduledFor().equals(when) && when.isAfter(now)) {
                // that reminder went (or is going) out for the old time: the new time gets its own, once
                if (m.status() == MessageStatus.QUEUED) {
                    String why = "superseded: the appointment moved while the reminder was being sent";
                    Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
                    Messages.step(c, m.id(), now, "appointment", "CANCELLED", m.channel(), why);
                }
                changed += schedule(c, base + "#" + (generation(m.businessKey()) + 1), patientId, appointmentId,
                        lead, when, now);
            }
            // BLOCKED, or cancelled for another reason (consent revoked): stays as it is
        }
        return changed;
    }
}
