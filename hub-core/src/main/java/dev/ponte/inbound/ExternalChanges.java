package dev.ponte.inbound;

import dev.ponte.spi.ExternalChange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.model.CanonicalModel;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.Ids;
import dev.ponte.store.OutboundEffects;
import dev.ponte.store.StoreException;
import dev.ponte.validation.Provenance;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies changes made in external systems to records the hub holds, with the conflict policy "the hub wins".
 * Thread safe.
 */
final class ExternalChanges {

    private final Database db;
    private final RecordValidator validator;
    private final Clock clock;
    private final String clinic;
    private final DeadLetterWriter deadLetters;

    ExternalChanges(Database db, RecordValidator validator, Clock clock, String clinic, DeadLetterWriter deadLetters) {
        this.db = db;
        this.validator = validator;
        this.clock = clock;
        this.clinic = clinic;
        this.deadLetters = deadLetters;
    }

    /**
     * Applies a change made in an external system to a record the hub holds, in one transaction: the record with the
     * changed fields must still validate; an unchanged result produces no event (the same change seen twice, by push
     * and by poll, or the echo of the hub's own write, is applied once).
     *
     * <p>Conflicts: the hub wins. When the record changed in the hub after it was last delivered to this connector
     * instance (a hub change is on its way out), the external change is not applied, the conflict is audited, and
     * the hub's version reaches the remote with the pending command.
     *
     * @return UPDATED, UNCHANGED or REJECTED (with a dead letter)
     */
    RowResult apply(ExternalChange change) {
        return db.inTransaction(c -> {
            Instant now = clock.instant();
            Optional<Class<? extends Record>> type = CanonicalModel.type(change.entity());
            if (type.isEmpty()) {
                return deadLetters.rejectChange(c, change, DeadLetter.ErrorClass.MAPPING, new Violation(null,
                        Rules.MAPPING_ERROR, null, null, Map.of("detail", "no canonical entity named "
                        + change.entity())));
            }
            String entity = type.get().getSimpleName();
            Optional<CanonicalStore.Xref> xref = CanonicalStore.xref(c, change.system(), entity, change.sourceId());
            String canonicalId = xref.map(CanonicalStore.Xref::canonicalId).orElse(change.canonicalId());
            Optional<String> current = canonicalId == null ? Optional.empty()
                    : CanonicalStore.payload(c, entity, canonicalId);
            if (current.isEmpty()) {
                return deadLetters.rejectChange(c, change, DeadLetter.ErrorClass.VALIDATION, new Violation(entity
                        + ".id", Rules.UNKNOWN_REFERENCE, null, canonicalId, Map.of("entity", entity, "field", "id",
                        "source", change.system(), "value", String.valueOf(canonicalId))));
            }
            String businessKey = OutboundCommands.businessKey(change.connector(), entity, canonicalId);
            Optional<OutboundEffects.Effect> delivered = OutboundEffects.get(c, businessKey);
            Optional<Instant> hubChanged = CanonicalStore.updatedAt(c, entity, canonicalId);
            ObjectNode before = readObject(current.get());
            ObjectNode after = before.deepCopy();
            change.fields().fields().forEachRemaining(f -> {
                if (!f.getKey().equals("id")) {
                    after.set(f.getKey(), f.getValue());
                }
            });
            if (after.equals(before)) {
                return new RowResult(0, change.sourceId(), RowOutcome.UNCHANGED, canonicalId, List.of(), null);
            }
            if (delivered.isPresent() && hubChanged.isPresent() && hubChanged.get().isAfter(delivered.get()
                    .deliveredAt())) {
                AuditLog.append(c, change.connector(), "sync.conflict", entity + "/" + canonicalId,
                        "change in " + change.system() + " at " + change.changedAt() + " not applied; fields "
                                + fieldNames(change.fields()), "the hub changed the record at " + hubChanged.get()
                                + ", after its last delivery; the hub wins and its version is on its way out", now);
                return new RowResult(0, change.sourceId(), RowOutcome.UNCHANGED, canonicalId, List.of(), null);
            }
            Record record;
            try {
                record = Json.MAPPER.treeToValue(after, type.get());
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return deadLetters.rejectChange(c, change, DeadLetter.ErrorClass.MAPPING, new Violation(null,
                        Rules.MAPPING_ERROR, null, null, Map.of("detail", "fields " + fieldNames(change.fields())
                        + " do not fit " + entity + ": " + (e instanceof JsonProcessingException j
                        ? j.getOriginalMessage() : e.getMessage()))));
            }
            List<Violation> violations = validator.validate(record, Provenance.NONE, ReferenceCatalog.NONE);
            if (!violations.isEmpty()) {
                return deadLetters.rejectChange(c, change, DeadLetter.ErrorClass.VALIDATION,
                        violations.toArray(Violation[]::new));
            }
            String payload = after.toString();
            String hash = Hashes.sha256(payload);
            CanonicalStore.save(c, entity, canonicalId, payload, hash, now);
            CanonicalStore.putXref(c, change.system(), entity, change.sourceId(), canonicalId, hash,
                    change.connector(), now);
            // the connector's copy and the hub agree again as of now: later changes there are not conflicts
            delivered.ifPresent(d -> {
                try {
                    OutboundEffects.record(c, new OutboundEffects.Effect(d.businessKey(), d.connector(),
                            d.contentHash(), d.externalId(), "changed in " + change.system(), d.commandId(),
                            now.plusMillis(1)));
                } catch (SQLException e) {
                    throw new StoreException("cannot record the sync state of " + businessKey, e);
                }
            });
            CanonicalEvent e = new CanonicalEvent(Ids.newId(), EventTypes.source(change.system(), change.connector()),
                    changeEventType(entity, before, after), canonicalId, now, clinic, null, change.correlationId(),
                    change.system() + ":" + entity + ":" + change.sourceId(), payload);
            EventOutbox.append(c, e, ChunkImport.dedupeKey(change.system(), entity, change.sourceId(), hash));
            return new RowResult(0, change.sourceId(), RowOutcome.UPDATED, canonicalId, List.of(), null);
        });
    }

    private static ObjectNode readObject(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record is not JSON", e);
        }
    }

    private static String fieldNames(ObjectNode fields) {
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    /** status-changed when the status differs, rescheduled when start or end does, upserted otherwise. */
    private static String changeEventType(String entity, JsonNode before, JsonNode after) {
        if (!before.path("status").equals(after.path("status"))) {
            return EventTypes.type(entity, EventTypes.STATUS_CHANGED);
        }
        if (!before.path("start").equals(after.path("start")) || !before.path("end").equals(after.path("end"))) {
            return EventTypes.type(entity, EventTypes.RESCHEDULED);
        }
        return EventTypes.type(entity, EventTypes.UPSERTED);
    }
}
