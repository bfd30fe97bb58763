package dev.ponte.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.model.MessageStatus;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes the messages that are due ({@code status = SCHEDULED}, {@code due_at <= now}), one transaction each: checks
 * the policy, renders the template for the chosen channel and marks the message QUEUED with the command it is handed
 * to that channel's sink with. The caller sends the commands after the commit ({@link MessageRoutes}); a crash in
 * between leaves QUEUED messages whose command {@link #recover} hands again (the sink driver acknowledges without a
 * call a command it already delivered, so that does not send twice).
 */
public final class MessageDispatcher {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MessageDispatcher.class);

    private final Database db;
    private final MessagingSettings settings;
    private final TemplateSet templates;
    private final MessagePolicy policy;
    private final Invitations invitations;
    private final Clock clock;

    /** A command and the connector instance whose sink it is for. */
    public record Addressed(String connector, OutboundCommand command) {
    }

    public MessageDispatcher(Database db, MessagingSettings settings, TemplateSet templates, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.templates = templates;
        this.policy = new MessagePolicy(settings);
        this.invitations = new Invitations(Messaging.invitationSettings(settings));
        this.clock = clock;
    }

    /** Decides every message due now (at most {@code batch}); returns the commands to send. */
    public List<Addressed> dispatchDue() {
        Instant now = clock.instant();
        List<String> due = db.read(c -> Messages.due(c, now, settings.batch()).stream()
                .map(Messages.StoredMessage::id).toList());
        List<Addressed> out = new ArrayList<>();
        for (String id : due) {
            try {
                // each message decided at its own time (a look of 200 takes a while)
                db.inTransaction(c -> dispatch(c, id, clock.instant())).ifPresent(out::add);
            } catch (RuntimeException e) {
                // one message the hub cannot decide (a bug, a record it cannot read) must not hold up the others
                LOG.error("messages: message {} could not be dispatched ({}); marked FAILED", id,
                        e.getClass().getName());
                db.inTransaction(c -> {
                    Optional<Messages.StoredMessage> m = Messages.byId(c, id);
                    if (m.isPresent() && m.get().status() == MessageStatus.SCHEDULED) {
                        String why = "the hub could not dispatch it (" + e.getClass().getSimpleName()
                                + "); fix the cause, then bin/ponte messages retry " + id;
                        Messages.update(c, m.get().with(MessageStatus.FAILED, why, now));
                        Messages.step(c, id, now, "dispatch", "FAILED", null, why);
                    }
                    return null;
                });
            }
        }
        return out;
    }

    /**
     * Whether a message handed to its channel is still to be sent now, just before its sink sends it: it is still
     * QUEUED with this command, its appointment (for a reminder) is still active and ahead, its channel's consent
     * still holds and the quiet hours have not begun while it waited. Otherwise it is cancelled, or made due again
     * (the policy decides anew), and the command is not sent.
     */
    boolean recheck(Connection c, Messages.StoredMessage m, OutboundCommand command, Instant now)
            throws SQLException {
        if (m.status() != MessageStatus.QUEUED || !command.id().equals(commandId(c, m.id()))) {
            return false; // moved on (cancelled, retried, handed again): this command is stale
        }
        // the two records the checks need, not the ones a template shows: this runs for every send
        Map<String, JsonNode> records = new LinkedHashMap<>();
        read(c, "Patient", m.patientId()).ifPresent(n -> records.put("Patient", n));
        if (m.appointmentId() != null) {
            read(c, "Appointment", m.appointmentId()).ifPresent(n -> records.put("Appointment", n));
        }
        Optional<String> cancel = appointmentGone(m, records.get("Appointment"), now);
        if (cancel.isPresent()) {
            Messages.update(c, m.with(MessageStatus.CANCELLED, cancel.get(), now));
            Messages.step(c, m.id(), now, "appointment", "CANCELLED", m.channel(), cancel.get());
            return false;
        }
        JsonNode patient = records.get("Patient");
        MessagePurpose purpose = MessagePurpose.parse(m.purpose()).orElse(MessagePurpose.FREE);
        if (patient == null || !Boolean.TRUE.equals(MessagePolicy.consents(patient, purpose)
                .get(dev.ponte.model.Channel.valueOf(m.channel())))) {
            String why = "the consent on " + m.channel() + " was withdrawn while the message waited";
            Messages.update(c, m.back(now, why, now));
            Messages.step(c, m.id(), now, "consent", "WITHDRAWN", m.channel(), why);
            return false;
        }
        QuietHours quiet = settings.quietHours();
        if (quiet.isQuiet(now)) {
            Instant until = quiet.nextAllowed(now);
            String why = "the quiet hours " + quiet + " began while the message waited; deferred to " + until;
            Messages.update(c, m.back(until, why, now));
            Messages.step(c, m.id(), now, "quiet-hours", "DEFERRED", m.channel(), why);
            return false;
        }
        return true;
    }

    private static String commandId(Connection c, String messageId) throws SQLException {
        Optional<String> json = Messages.command(c, messageId);
        if (json.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json.get()).path("id").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Why a reminder is no longer wanted (its appointment cancelled, gone or begun), or empty. */
    private static Optional<String> appointmentGone(Messages.StoredMessage m, JsonNode appointment, Instant now) {
        if (m.appointmentId() == null || !MessagePurpose.REMINDER.id().equals(m.purpose())) {
            return Optional.empty();
        }
        if (appointment == null) {
            return Optional.of(Reminders.APPOINTMENT + " is no longer held by the hub (" + m.appointmentId() + ")");
        }
        if (!Reminders.ACTIVE.contains(appointment.path("status").asText())) {
            return Optional.of(Reminders.APPOINTMENT + " is " + appointment.path("status").asText());
        }
        if (startsBefore(appointment, now)) {
            return Optional.of(Reminders.APPOINTMENT + " started before the reminder could go out");
        }
        return Optional.empty();
    }

    /** The commands of messages handed to a channel before {@code before} and not answered, to hand again. */
    public List<Addressed> recover(Instant before) {
        return db.read(c -> {
            List<Addressed> out = new ArrayList<>();
            for (Messages.StoredMessage m : Messages.queuedBefore(c, before, Integer.MAX_VALUE)) {
                Optional<String> json = Messages.command(c, m.id());
                if (json.isPresent() && m.connector() != null) {
                    try {
                        out.add(new Addressed(m.connector(), Json.MAPPER.readValue(json.get(),
                                OutboundCommand.class)));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("message " + m.id() + " holds a command that is not JSON",
                                e);
                    }
                }
            }
            return out;
        });
    }

    /** A command back on its queue could not be sent: the message is due again shortly. */
    public void sendFailed(Addressed a, String reason) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            Optional<Messages.StoredMessage> m = Messages.byId(c, a.command().canonicalId());
            if (m.isPresent() && m.get().status() == MessageStatus.QUEUED) {
                // if the broker took it after all, that command is stale now (recheck) and is not sent
                Messages.update(c, m.get().back(now.plus(settings.interval()), "could not hand it to "
                        + a.connector() + ": " + reason, now));
            }
            return null;
        });
    }

    private Optional<Addressed> dispatch(Connection c, String id, Instant now) throws SQLException {
        Optional<Messages.StoredMessage> found = Messages.byId(c, id);
        if (found.isEmpty() || found.get().status() != MessageStatus.SCHEDULED || found.get().dueAt().isAfter(now)) {
            return Optional.empty(); // taken meanwhile
        }
        Messages.StoredMessage m = found.get();
        Map<String, JsonNode> records = records(c, m);
        Optional<String> gone = appointmentGone(m, records.get("Appointment"), now);
        if (gone.isPresent()) {
            Messages.update(c, m.with(MessageStatus.CANCELLED, gone.get(), now));
            Messages.step(c, id, now, "appointment", "CANCELLED", null, gone.get());
            return Optional.empty();
        }
        Optional<Template> template = templates.find(m.template(), settings.language(), settings.language());
        if (template.isEmpty()) {
            String why = "no template '" + m.template() + "' in " + settings.language() + "; add " + m.template()
                    + "." + settings.language() + ".yaml to the template folder";
            Messages.update(c, m.with(MessageStatus.BLOCKED, why, now));
            Messages.step(c, id, now, "template", "BLOCKED", null, why);
            return Optional.empty();
        }
        // a message may carry its own channel order (a retention campaign's); else ponte.messaging.channels
        List<dev.ponte.model.Channel> order = Messages.channels(c, id).map(list -> list.stream()
                .map(dev.ponte.model.Channel::valueOf).toList()).orElse(null);
        MessagePolicy.Decision d = policy.decide(c, m, records.get("Patient"), template.get().channels(), order,
                now);
        if (d instanceof MessagePolicy.Block b) {
            Messages.update(c, m.with(MessageStatus.BLOCKED, b.reason(), now));
            return Optional.empty();
        }
        if (d instanceof MessagePolicy.Defer f) {
            Messages.update(c, m.with(MessageStatus.SCHEDULED, f.reason(), now).dueAt(f.until()));
            return Optional.empty();
        }
        if (d instanceof MessagePolicy.Exhausted x) {
            Messages.update(c, m.with(MessageStatus.FAILED, x.reason(), now));
            Messages.step(c, id, now, "channel", "EXHAUSTED", null, x.reason());
            return Optional.empty();
        }
        MessagePolicy.Send s = (MessagePolicy.Send) d;
        OutboundMessage message = template.get().render(m.id(), s.channel(), s.recipient(), records,
                settings.quietHours().zone(), invitations.entry(m, records, template.get(),
                        settings.quietHours().zone()).orElse(null));
        // one business key per hand-off: the same command handed again after a crash is sent once (the sink driver's
        // check), a new attempt (the next channel, an admin's retry) is a new effect even with the same content
        String commandId = Ids.newId();
        OutboundCommand command = new OutboundCommand(commandId, OutboundCommands.businessKey(s.connector(),
                OutboundMessage.ENTITY, m.id() + ":" + commandId), OutboundMessage.ENTITY,
                OutboundCommand.Action.UPSERT, m.id(), message.toJson(), Map.of(), "message.due", m.businessKey(),
                null, now);
        Messages.update(c, m.queued(s.channel().name(), s.connector(), s.recipient(), now));
        try {
            Messages.command(c, id, Json.MAPPER.writeValueAsString(command));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Messages.step(c, id, now, "channel", "QUEUED", s.channel().name(), "to " + s.connector());
        return Optional.of(new Addressed(s.connector(), command));
    }

    private static boolean startsBefore(JsonNode appointment, Instant now) {
        try {
            return OffsetDateTime.parse(appointment.path("start").asText()).toInstant().isBefore(now);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The records the message can show: the patient, the appointment and what it references, a receipt's Invoice. */
    static Map<String, JsonNode> records(Connection c, Messages.StoredMessage m) throws SQLException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        read(c, "Patient", m.patientId()).ifPresent(n -> out.put("Patient", n));
        if (m.appointmentId() != null) {
            Optional<JsonNode> a = read(c, "Appointment", m.appointmentId());
            if (a.isPresent()) {
                out.put("Appointment", a.get());
                ref(c, out, "Procedure", a.get().path("procedureCode"));
                ref(c, out, "Professional", a.get().path("professionalId"));
                ref(c, out, "Unit", a.get().path("unitId"));
            }
        }
        if (!out.containsKey("Unit") && out.containsKey("Patient")) {
            ref(c, out, "Unit", out.get("Patient").path("unitId"));
        }
        Receipts.invoiceOf(c, m).ifPresent(n -> out.put("Invoice", n));
        return out;
    }

    private static void ref(Connection c, Map<String, JsonNode> out, String entity, JsonNode id) throws SQLException {
        if (id != null && id.isTextual()) {
            read(c, entity, id.asText()).ifPresent(n -> out.put(entity, n));
        }
    }

    static Optional<JsonNode> read(Connection c, String entity, String id) throws SQLException {
        Optional<String> payload = CanonicalStore.payload(c, entity, id);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(payload.get()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(entity + " " + id + " is stored as invalid JSON", e);
        }
    }
}
