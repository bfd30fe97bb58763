package dev.ponte.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.inbound.EventTypes;
import dev.ponte.json.Json;
import dev.ponte.model.Appointment;
import dev.ponte.model.CanonicalModel;
import dev.ponte.model.References;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Ids;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Hashes;

import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns canonical events into commands for sink instances. Only record changes become commands
 * ({@code *.upserted}, {@code *.status-changed}, {@code *.rescheduled}); a change that came from a connector
 * instance is not sent back to that same instance (no echo). An appointment that is cancelled or replaced by
 * another slot is a {@link OutboundCommand.Action#DELETE}.
 */
public final class OutboundCommands {

    private static final Set<String> GONE = Set.of("CANCELLED", "RESCHEDULED");

    private OutboundCommands() {
    }

    /** The business key of the effect of a record in a sink instance: {@code <instance>:<entity>:<canonical id>}. */
    public static String businessKey(String instance, String entity, String canonicalId) {
        return instance + ":" + entity.toLowerCase(Locale.ROOT) + ":" + canonicalId;
    }

    /** The canonical entity an event type is about: {@code package-enrollment.upserted} → PackageEnrollment. */
    public static Optional<String> entityOf(String eventType) {
        return EventTypes.recordEntity(eventType);
    }

    /**
     * The command for one sink instance, or empty when the instance does not write this entity, the change came
     * from that instance, or the event is {@linkplain #superseded superseded}.
     */
    public static Optional<OutboundCommand> forSink(Connection c, CanonicalEvent event, String instance,
                                                    Set<String> writes) throws SQLException {
        Optional<String> entity = entityOf(event.type());
        if (entity.isEmpty() || !writes.contains(entity.get()) || event.source().endsWith("/" + instance)
                || superseded(c, event, entity.get())) {
            return Optional.empty();
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " carries data that is not JSON", e);
        }
        Class<? extends Record> type = CanonicalModel.type(entity.get()).orElseThrow();
        OutboundCommand.Action action = type == Appointment.class && GONE.contains(data.path("status").asText())
                ? OutboundCommand.Action.DELETE : OutboundCommand.Action.UPSERT;
        return Optional.of(new OutboundCommand(Ids.newId(),
                businessKey(instance, entity.get(), event.subject()), entity.get(), action, event.subject(), data,
                related(c, type, data), event.type(), event.correlationId(), event.id(), event.time(),
                CanonicalStore.sourceIds(c, entity.get(), event.subject())));
    }

    /**
     * Whether the store recorded a later change of the same record after this event (a record-change event of the
     * same subject with a higher sequence). A command carries the event's record as it was; the later event's
     * command carries what is true now and reaches the sink after it. Without this, an old event published again
     * (at least once: a crash between the broker's commit and the outbox's marking) or redelivered would send a
     * content that is no longer true, and the remote (a Google Calendar event) would go back in time until the
     * later event came again. An event the store does not hold (built by a test) is not superseded.
     */
    static boolean superseded(Connection c, CanonicalEvent event, String entity) throws SQLException {
        List<String> types = EventTypes.RECORD_VERBS.stream().sorted()
                .map(verb -> EventTypes.type(entity, verb)).toList();
        try (PreparedStatement ps = c.prepareStatement("select e.seq, (select max(l.seq) from event l where"
                + " l.subject = e.subject and l.type in (?, ?, ?)) from event e where e.id = ?")) {
            for (int i = 0; i < types.size(); i++) {
                ps.setString(i + 1, types.get(i));
            }
            ps.setString(types.size() + 1, event.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(2) > rs.getLong(1);
            }
        }
    }

    /**
     * The command as the record and its related records stand in the store now, for a replay after a fix (a patient's
     * CPF corrected at the source): same id, business key and cause, current data, related records and action. A
     * command whose record the store does not hold, or a patient message (the messaging core renders those and checks
     * them again before they are sent), is returned as it is.
     */
    public static OutboundCommand current(Connection c, OutboundCommand command) throws SQLException {
        Optional<Class<? extends Record>> type = CanonicalModel.type(command.entity());
        if (type.isEmpty() || dev.ponte.spi.OutboundMessage.ENTITY.equals(command.entity())) {
            return command;
        }
        Optional<String> payload = CanonicalStore.payload(c, type.get().getSimpleName(), command.canonicalId());
        if (payload.isEmpty()) {
            return command;
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(payload.get());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(command.entity() + " " + command.canonicalId() + " is stored as invalid "
                    + "JSON", e);
        }
        OutboundCommand.Action action = type.get() == Appointment.class && GONE.contains(data.path("status").asText())
                ? OutboundCommand.Action.DELETE : OutboundCommand.Action.UPSERT;
        return new OutboundCommand(command.id(), command.businessKey(), command.entity(), action,
                command.canonicalId(), data, related(c, type.get(), data), command.eventType(),
                command.correlationId(), command.causationId(), command.time(),
                CanonicalStore.sourceIds(c, command.entity(), command.canonicalId()));
    }

    /** How many levels of references a {@link References#deep()} reference brings (Invoice → Charge → Appointment → Procedure). */
    public static final int MAX_DEPTH = 3;

    /**
     * The records a record references, as the store holds them now, by reference field; behind a
     * {@link References#deep() deep} reference also the referenced record's references, by path
     * ({@code chargeId.patientId}), up to {@link #MAX_DEPTH} levels.
     */
    static Map<String, JsonNode> related(Connection c, Class<? extends Record> type, JsonNode data)
            throws SQLException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collect(c, type, data, "", 1, false, out);
        return out;
    }

    private static void collect(Connection c, Class<?> type, JsonNode data, String prefix, int depth, boolean deep,
                                Map<String, JsonNode> out) throws SQLException {
        for (RecordComponent rc : type.getRecordComponents()) {
            References ref = rc.getAnnotation(References.class);
            JsonNode id = data.get(rc.getName());
            if (ref == null || id == null || id.isNull()) {
                continue;
            }
            Optional<String> payload = CanonicalStore.payload(c, ref.value().getSimpleName(), id.asText());
            if (payload.isPresent()) {
                JsonNode record;
                try {
                    record = Json.MAPPER.readTree(payload.get());
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(ref.value().getSimpleName() + " " + id.asText()
                            + " is stored as invalid JSON", e);
                }
                String path = prefix + rc.getName();
                out.put(path, record);
                if ((deep || ref.deep()) && depth < MAX_DEPTH) {
                    collect(c, ref.value(), record, path + ".", depth + 1, true, out);
                }
            }
        }
    }

    /** What makes two commands the same external effect: action, record and related records (not ids or times). */
    public static String contentHash(OutboundCommand command) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("action", command.action().name());
        n.set("data", command.data());
        n.set("related", Json.MAPPER.valueToTree(new java.util.TreeMap<>(command.related())));
        return Hashes.sha256(n.toString());
    }
}
