package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.InboundSender;
import dev.ponte.store.Database;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * The messaging core of one hub, assembled once: settings, templates, the dispatcher, what sinks' outcomes and
 * channel connectors' reports do, and reminders. {@link #enabled()} is false when no connector serves a channel:
 * then nothing is scheduled (an import of 100,000 appointments makes no message rows), and the flows only drain
 * their subscriptions.
 */
public final class Messaging {

    private final MessagingSettings settings;
    private final TemplateSet templates;
    private final MessageDispatcher dispatcher;
    private final MessageOutcomes outcomes = new MessageOutcomes();
    private final HubMessageEvents events;
    private final Reminders reminders;
    private final MessagePolicy policy;
    private final Clock clock;

    public Messaging(Database db, MessagingSettings settings, TemplateSet templates, Clock clock,
                     Function<String, InboundSender> inbound) {
        this.settings = settings;
        this.templates = templates;
        this.clock = clock;
        this.dispatcher = new MessageDispatcher(db, settings, templates, clock);
        this.events = new HubMessageEvents(db, clock, settings, inbound);
        this.reminders = new Reminders(settings.leadTimes());
        this.policy = new MessagePolicy(settings);
    }

    /** Whether some connector serves a channel of {@code ponte.messaging.channels}. */
    public boolean enabled() {
        return settings.channels().stream().anyMatch(settings.connectors()::containsKey);
    }

    public MessagingSettings settings() {
        return settings;
    }

    public TemplateSet templates() {
        return templates;
    }

    public MessageDispatcher dispatcher() {
        return dispatcher;
    }

    public MessageOutcomes outcomes() {
        return outcomes;
    }

    public HubMessageEvents events() {
        return events;
    }

    public Clock clock() {
        return clock;
    }

    /** An appointment as the hub holds it now: its reminders follow ({@link Reminders}). */
    public int appointmentChanged(Connection c, String appointmentId, JsonNode appointment) throws SQLException {
        return enabled() ? reminders.onAppointment(c, appointmentId, appointment, clock.instant()) : 0;
    }

    /**
     * A patient as the hub holds it now: a pending message whose purpose the patient no longer consents to on any
     * channel is cancelled.
     */
    public int patientChanged(Connection c, String patientId, JsonNode patient) throws SQLException {
        if (!enabled()) {
            return 0;
        }
        Instant now = clock.instant();
        int cancelled = 0;
        for (Messages.StoredMessage m : Messages.byPatient(c, patientId, MessageStatus.SCHEDULED)) {
            MessagePurpose purpose = MessagePurpose.parse(m.purpose()).orElse(MessagePurpose.FREE);
            if (!policy.anyConsent(patient, purpose)) {
                String why = "consent for " + purpose.consent() + " revoked";
                Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
                Messages.step(c, m.id(), now, "consent", "CANCELLED", null, why);
                cancelled++;
            }
        }
        return cancelled;
    }
}
