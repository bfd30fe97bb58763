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

    /** The templates the hub itself needs when messaging is on (in {@code ponte.messaging.language}). */
    public static final java.util.List<String> REQUIRED_TEMPLATES = java.util.List.of(Reminders.TEMPLATE,
            HubMessageEvents.CONFIRMED_TEMPLATE, HubMessageEvents.CANCELLED_TEMPLATE);

    private final MessagingSettings settings;
    private final TemplateSet templates;
    private final MessageDispatcher dispatcher;
    private final MessageOutcomes outcomes;
    private final HubMessageEvents events;
    private final Reminders reminders;
    private final Invitations invitations;
    private final MessagePolicy policy;
    private final Clock clock;

    public Messaging(Database db, MessagingSettings settings, TemplateSet templates, Clock clock,
                     Function<String, InboundSender> inbound) {
        this.settings = settings;
        this.templates = templates;
        this.clock = clock;
        this.dispatcher = new MessageDispatcher(db, settings, templates, clock);
        this.outcomes = new MessageOutcomes(dispatcher);
        this.events = new HubMessageEvents(db, clock, settings, inbound);
        this.reminders = new Reminders(settings.leadTimes());
        this.invitations = new Invitations(invitationSettings(settings));
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

    /**
     * The invitation settings in effect: on only when asked for and a connector serves EMAIL (invitations go by
     * e-mail only; without it every one would be BLOCKED).
     */
    public static MessagingSettings.InvitationSettings invitationSettings(MessagingSettings settings) {
        boolean on = settings.invitations().enabled() && settings.channels().contains(dev.ponte.model.Channel.EMAIL)
                && settings.connectors().containsKey(dev.ponte.model.Channel.EMAIL);
        return new MessagingSettings.InvitationSettings(on, settings.invitations().uidDomain());
    }

    /**
     * An appointment as the hub holds it now: its reminders ({@link Reminders}) and its calendar invitations
     * ({@link Invitations}) follow.
     */
    public int appointmentChanged(Connection c, String appointmentId, JsonNode appointment) throws SQLException {
        if (!enabled()) {
            return 0;
        }
        Instant now = clock.instant();
        return reminders.onAppointment(c, appointmentId, appointment, now)
                + invitations.onAppointment(c, appointmentId, appointment, now);
    }

    /**
     * An invoice as the hub holds it now: once AUTHORIZED, its receipt goes to the patient ({@link Receipts}), when
     * the template {@value Receipts#TEMPLATE} exists in the messaging language (it is optional: without it no
     * receipt is sent).
     */
    public int invoiceChanged(Connection c, String invoiceId, JsonNode invoice) throws SQLException {
        if (!enabled() || templates.find(Receipts.TEMPLATE, settings.language(), settings.language()).isEmpty()) {
            return 0;
        }
        return Receipts.onInvoice(c, invoiceId, invoice, clock.instant()) ? 1 : 0;
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

    /**
     * An appointment changed by a patient's reply ({@link HubMessageEvents}, correlation {@code reply:<provider id>})
     * as the hub holds it now: the change was applied, so the answer is scheduled ({@code reply-confirmed} or
     * {@code reply-cancelled}, business key {@code reply:<provider id>}) and the reply marked handled. Nothing when
     * the change did not take (the appointment's status is not the one asked for).
     */
    public boolean replyApplied(Connection c, String correlationId, String appointmentId, JsonNode appointment)
            throws SQLException {
        if (correlationId == null || !correlationId.startsWith(HubMessageEvents.CORRELATION)) {
            return false;
        }
        String providerId = correlationId.substring(HubMessageEvents.CORRELATION.length());
        java.util.Optional<Messages.Reply> reply = Messages.reply(c, providerId);
        String status = appointment.path("status").asText();
        if (reply.isEmpty() || reply.get().handled() == null
                || !reply.get().handled().equals(HubMessageEvents.SENT_PREFIX + status)) {
            return false;
        }
        Instant now = clock.instant();
        String template = status.equals("CONFIRMED") ? HubMessageEvents.CONFIRMED_TEMPLATE
                : HubMessageEvents.CANCELLED_TEMPLATE;
        String id = dev.ponte.store.Ids.newId();
        if (Messages.insert(c, new Messages.StoredMessage(id, HubMessageEvents.CORRELATION + providerId,
                appointment.path("patientId").asText(), appointmentId, MessagePurpose.CONFIRMATION.id(), template,
                MessageStatus.SCHEDULED, null, null, null, java.util.List.of(), now, now, null, null, null, null,
                now))) {
            Messages.step(c, id, now, "scheduled", "SCHEDULED", null, "answer to the patient's reply: appointment "
                    + status);
        }
        Messages.markReplyHandled(c, providerId, "appointment " + status + "; answer " + template + " scheduled");
        return true;
    }

    /**
     * An admin's retry of a FAILED or BLOCKED message: due now from its first channel, the policy checked again.
     *
     * @return why it cannot be retried, or empty when it is due again
     */
    public static java.util.Optional<String> retry(Connection c, String messageId, String actor, Instant now)
            throws SQLException {
        java.util.Optional<Messages.StoredMessage> m = Messages.byId(c, messageId);
        if (m.isEmpty()) {
            return java.util.Optional.of("no message " + messageId + "; see `ponte messages list`");
        }
        if (m.get().status() != MessageStatus.FAILED && m.get().status() != MessageStatus.BLOCKED) {
            return java.util.Optional.of("message " + messageId + " is " + m.get().status()
                    + "; only FAILED or BLOCKED messages are retried");
        }
        Messages.update(c, m.get().fresh(now, "retried by " + actor, now));
        Messages.step(c, messageId, now, "retry", "SCHEDULED", null, "by " + actor);
        dev.ponte.store.AuditLog.append(c, actor, "message.retry", "Message/" + messageId, "was "
                + m.get().status(), m.get().reason(), now);
        return java.util.Optional.empty();
    }
}
