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
import java.util.Set;

/**
 * Takes the messages that are due ({@code status = SCHEDULED}, {@code due_at <= now}), one transaction each: checks
 * the policy, renders the template for the chosen channel and marks the message QUEUED with the command it is handed
 * to that channel's sink with. The caller sends the commands after the commit ({@link MessageRoutes}); a crash in
 * between leaves QUEUED messages whose command {@link #recover} hands again (the sink driver acknowledges without a
 * call a command it already delivered, so that does not send twice).
 */
public final class MessageDispatcher {

    private static final Set<String> ACTIVE = Set.of("SCHEDULED", "CONFIRMED");

    private final Database db;
    private final MessagingSettings settings;
    private final TemplateSet templates;
    private final MessagePolicy policy;
    private final Clock clock;

    /** A command and the connector instance whose sink it is for. */
    public record Addressed(String connector, OutboundCommand command) {
    }

    public MessageDispatcher(Database db, MessagingSettings settings, TemplateSet templates, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.templates = templates;
        this.policy = new MessagePolicy(settings);
        this.clock = clock;
    }

    /** Decides every message due now (at most {@code batch}); returns the commands to send. */
    public List<Addressed> dispatchDue() {
        Instant now = clock.instant();
        List<String> due = db.read(c -> Messages.due(c, now, settings.batch()).stream()
                .map(Messages.StoredMessage::id).toList());
        List<Addressed> out = new ArrayList<>();
        for (String id : due) {
            db.inTransaction(c -> dispatch(c, id, now)).ifPresent(out::add);
        }
        return out;
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
                List<String> tried = new ArrayList<>(m.get().tried());
                tried.remove(tried.size() - 1);
                Messages.StoredMessage back = new Messages.StoredMessage(m.get().id(), m.get().businessKey(),
                        m.get().patientId(), m.get().appointmentId(), m.get().purpose(), m.get().template(),
                        MessageStatus.SCHEDULED, m.get().channel(), m.get().connector(), m.get().recipient(), tried,
                        m.get().scheduledFor(), now.plus(settings.interval()), null, m.get().sentAt(),
                        m.get().externalId(), "could not hand it to " + a.connector() + ": " + reason, now);
                Messages.update(c, back);
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
        JsonNode appointment = records.get("Appointment");
        if (m.appointmentId() != null && MessagePurpose.REMINDER.id().equals(m.purpose())) {
            String why = appointment == null ? "the hub holds no appointment " + m.appointmentId()
                    : !ACTIVE.contains(appointment.path("status").asText()) ? "the appointment is "
                    + appointment.path("status").asText() : startsBefore(appointment, now)
                    ? "the appointment started before the reminder could go out" : null;
            if (why != null) {
                Messages.update(c, m.with(MessageStatus.CANCELLED, why, now));
                Messages.step(c, id, now, "appointment", "CANCELLED", null, why);
                return Optional.empty();
            }
        }
        MessagePolicy.Decision d = policy.decide(c, m, records.get("Patient"), now);
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
        Optional<Template> template = templates.find(m.template(), settings.language(), settings.language());
        if (template.isEmpty() || !template.get().channels().contains(s.channel())) {
            String why = template.isEmpty() ? "no template '" + m.template() + "' in " + settings.language()
                    + "; add " + m.template() + "." + settings.language() + ".yaml to the template folder"
                    : "template '" + m.template() + "' is not for " + s.channel();
            Messages.update(c, m.with(MessageStatus.BLOCKED, why, now));
            Messages.step(c, id, now, "template", "BLOCKED", s.channel().name(), why);
            return Optional.empty();
        }
        OutboundMessage message = template.get().render(m.id(), s.channel(), s.recipient(), records,
                settings.quietHours().zone());
        OutboundCommand command = new OutboundCommand(Ids.newId(), OutboundCommands.businessKey(s.connector(),
                OutboundMessage.ENTITY, m.id()), OutboundMessage.ENTITY, OutboundCommand.Action.UPSERT,
                m.id(), message.toJson(), Map.of(), "message.due", m.businessKey(), null, now);
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

    /** The records the message can show: the patient, the appointment and what it references. */
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
