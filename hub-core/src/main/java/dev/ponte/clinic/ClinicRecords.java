package dev.ponte.clinic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.inbound.EventTypes;
import dev.ponte.json.Json;
import dev.ponte.model.CanonicalModel;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the clinic flows read and write canonical records: on the caller's connection, each write with its event in
 * the outbox (the path every canonical change takes, so sinks and subscribers see it), the record checked against
 * its canonical type first. The events' source is {@value #SOURCE}: it ends in no connector instance's name, so the
 * flow sink-commands sends the changes to every sink that writes the entity.
 */
final class ClinicRecords {

    static final String SOURCE = "ponte://hub/clinic_flows";

    /** Why a change is made: the event that caused it. */
    record Cause(String eventId, String correlationId) {
    }

    private final String clinic;

    ClinicRecords(String clinic) {
        this.clinic = clinic;
    }

    /** The record as the store holds it, or empty. */
    static Optional<ObjectNode> read(Connection c, String entity, String id) throws SQLException {
        if (id == null) {
            return Optional.empty();
        }
        Optional<String> payload = CanonicalStore.payload(c, entity, id);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(payload.get());
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(entity + " " + id + " is stored as invalid JSON", e);
        }
    }

    /** The record as its canonical type, or empty when absent or no longer readable as one. */
    static <T> Optional<T> typed(Connection c, Class<T> type, String id) throws SQLException {
        Optional<ObjectNode> n = read(c, type.getSimpleName(), id);
        return n.isEmpty() ? Optional.empty() : typed(n.get(), type);
    }

    static <T> Optional<T> typed(JsonNode n, Class<T> type) {
        try {
            return Optional.of(Json.MAPPER.treeToValue(n, type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Stores a record the hub made, with its {@code <entity>.upserted} event; {@code dedupe} names the cause. */
    void create(Connection c, Record record, String id, String dedupe, Cause cause, Instant now) throws SQLException {
        String entity = record.getClass().getSimpleName();
        String payload = json(record);
        String hash = Hashes.sha256(payload);
        CanonicalStore.insert(c, entity, id, payload, hash, now);
        event(c, entity, EventTypes.UPSERTED, id, payload, dedupe + "|" + hash, cause, now);
    }

    /**
     * Saves a changed record with its event ({@code status-changed} when the status moved, else {@code upserted}).
     *
     * @return false when nothing changed (nothing written)
     */
    boolean update(Connection c, String entity, String id, ObjectNode before, ObjectNode after, Cause cause,
                   Instant now) throws SQLException {
        if (after.equals(before)) {
            return false;
        }
        Class<? extends Record> type = CanonicalModel.type(entity).orElseThrow();
        if (typed(after, type).isEmpty()) {
            throw new IllegalStateException("the change to " + entity + " " + id + " does not fit the record");
        }
        String payload = after.toString();
        String hash = Hashes.sha256(payload);
        CanonicalStore.save(c, entity, id, payload, hash, now);
        event(c, entity, before.path("status").equals(after.path("status")) ? EventTypes.UPSERTED
                : EventTypes.STATUS_CHANGED, id, payload, "clinic|" + entity + "|" + id + "|" + hash, cause, now);
        return true;
    }

    /** An event that is not a record change ({@code package.session-used}), with its own data. */
    void domainEvent(Connection c, String type, String subject, ObjectNode data, String dedupe, Cause cause,
                     Instant now) throws SQLException {
        EventOutbox.append(c, new CanonicalEvent(dev.ponte.store.Ids.newId(), SOURCE, type, subject, now, clinic,
                null, cause.correlationId(), cause.eventId(), data.toString()), dedupe);
    }

    private void event(Connection c, String entity, String verb, String id, String payload, String dedupe,
                       Cause cause, Instant now) throws SQLException {
        EventOutbox.append(c, new CanonicalEvent(dev.ponte.store.Ids.newId(), SOURCE, EventTypes.type(entity, verb),
                id, now, clinic, null, cause.correlationId(), cause.eventId(), payload), dedupe);
    }

    /** The record's canonical JSON without the fields it does not have (as mappings write records). */
    static String json(Record record) {
        ObjectNode n = Json.MAPPER.valueToTree(record);
        List<String> empty = new ArrayList<>();
        n.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                empty.add(f.getKey());
            }
        });
        n.remove(empty);
        return n.toString();
    }
}
