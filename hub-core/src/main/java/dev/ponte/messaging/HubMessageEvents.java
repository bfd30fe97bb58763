package dev.ponte.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundSender;
import dev.ponte.spi.MessageEvents;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import java.util.Optional;
import java.util.function.Function;

/**
 * The hub's {@link MessageEvents}: statuses move a message forward only (SENT &lt; DELIVERED &lt; READ; a FAILED
 * status after SENT moves it to the next channel); a reply is recorded once per provider id, classified
 * ({@link Intents}), and a confirm or cancel of a reminder changes its appointment through the hub's inbound
 * pipeline (an {@link ExternalChange} on the connector's inbound queue: validation, audit, events and the calendar
 * sync follow) and schedules the answer ({@value #CONFIRMED_TEMPLATE} / {@value #CANCELLED_TEMPLATE}). Anything
 * else waits for a person ({@code bin/ponte messages replies}).
 */
public final class HubMessageEvents implements MessageEvents {

    public static final String CONFIRMED_TEMPLATE = "reply-confirmed";
    public static final String CANCELLED_TEMPLATE = "reply-cancelled";
    /** The external system name of changes made by patients' replies. */
    public static final String SYSTEM = "patient-reply";
    private static final List<MessageStatus> ORDER = List.of(MessageStatus.QUEUED, MessageStatus.SENT,
            MessageStatus.DELIVERED, MessageStatus.READ);

    private final Database db;
    private final Clock clock;
    private final Intents intents;
    private final Function<String, InboundSender> inbound;

    /** @param inbound the inbound sender of a connector instance, by instance name */
    public HubMessageEvents(Database db, Clock clock, MessagingSettings settings,
                            Function<String, InboundSender> inbound) {
        this.db = db;
        this.clock = clock;
        this.intents = new Intents(settings.keywords());
        this.inbound = inbound;
    }

    @Override
    public boolean status(StatusUpdate update) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Optional<Messages.StoredMessage> found = Messages.byExternalId(c, update.externalId());
            if (found.isEmpty() || !update.connector().equals(found.get().connector())) {
                return false;
            }
            Messages.StoredMessage m = found.get();
            if (update.status() == DeliveryStatus.FAILED) {
                if (m.status() != MessageStatus.SENT) {
                    return false; // delivered or read already, or moved on
                }
                MessageOutcomes.failedOnChannel(c, m, "the provider reported it failed" + (update.errorCode() == null
                        ? "" : " (" + update.errorCode() + (update.errorTitle() == null ? "" : " "
                        + update.errorTitle()) + ")"), now);
                return true;
            }
            MessageStatus next = MessageStatus.valueOf(update.status().name());
            int at = ORDER.indexOf(m.status());
            if (at < 0 || ORDER.indexOf(next) <= at) {
                return false; // never backwards: a late DELIVERED after READ changes nothing
            }
            Messages.update(c, m.with(next, null, now));
            Messages.step(c, m.id(), now, "status", next.name(), m.channel(), "reported at " + update.at());
            return true;
        });
    }

    @Override
    public Intent reply(PatientReply reply) {
        Instant now = clock.instant();
        Handling h = db.inTransaction(c -> record(c, reply, now));
        if (h.change() != null) {
            // after the commit: the reply is kept even if the broker refuses; the provider's retry sends it again
            inbound.apply(reply.connector()).send(h.change());
            db.inTransaction(c -> {
                Messages.markReplyHandled(c, reply.providerId(), "appointment " + h.change().canonicalId() + " "
                        + h.change().fields().path("status").asText());
                return null;
            });
        }
        return h.intent();
    }

    private record Handling(Intent intent, ExternalChange change) {
    }

    private Handling record(Connection c, PatientReply reply, Instant now) throws SQLException {
        Optional<Messages.Reply> seen = Messages.reply(c, reply.providerId());
        if (seen.isPresent()) {
            Messages.Reply r = seen.get();
            boolean pending = r.handled() == null && ("CONFIRM".equals(r.intent()) || "CANCEL".equals(r.intent()));
            Optional<Messages.StoredMessage> m = r.messageId() == null ? Optional.empty()
                    : Messages.byId(c, r.messageId());
            return new Handling(Intent.DUPLICATE, pending && m.isPresent() && m.get().appointmentId() != null
                    ? change(reply, m.get().appointmentId(), Intent.valueOf(r.intent())) : null);
        }
        Optional<Messages.StoredMessage> about = reply.inReplyTo() != null
                ? Messages.byExternalId(c, reply.inReplyTo())
                : Messages.lastSentTo(c, reply.connector(), reply.from());
        Intent intent = intents.classify(reply.text(), reply.button());
        boolean acts = (intent == Intent.CONFIRM || intent == Intent.CANCEL) && about.isPresent()
                && about.get().appointmentId() != null;
        Messages.insertReply(c, new Messages.Reply(reply.providerId(), reply.connector(),
                about.map(Messages.StoredMessage::id).orElse(null), reply.from(), reply.text(), reply.button(),
                intent.name(), reply.at(), null));
        AuditLog.append(c, reply.connector(), "message.reply", about.map(m -> "Message/" + m.id()).orElse("-"),
                "intent " + intent + (about.isEmpty() ? ", no message of the hub it answers" : ""), null, now);
        if (!acts) {
            return new Handling(intent, null);
        }
        Messages.StoredMessage m = about.get();
        String template = intent == Intent.CONFIRM ? CONFIRMED_TEMPLATE : CANCELLED_TEMPLATE;
        String id = Ids.newId();
        if (Messages.insert(c, new Messages.StoredMessage(id, "reply:" + reply.providerId(), m.patientId(),
                m.appointmentId(), MessagePurpose.CONFIRMATION.id(), template, MessageStatus.SCHEDULED, null, null,
                null, List.of(), now, now, null, null, null, null, now))) {
            Messages.step(c, id, now, "scheduled", "SCHEDULED", null, "answer to a patient's " + intent);
        }
        return new Handling(intent, change(reply, m.appointmentId(), intent));
    }

    private static ExternalChange change(PatientReply reply, String appointmentId, Intent intent) {
        ObjectNode fields = Json.MAPPER.createObjectNode();
        fields.put("status", intent == Intent.CONFIRM ? "CONFIRMED" : "CANCELLED");
        return new ExternalChange(reply.connector(), SYSTEM, "Appointment", appointmentId, appointmentId, fields,
                reply.at(), "reply:" + reply.providerId());
    }

}
