package dev.ponte.inbound;

import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.RawRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappedRecord;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.SourceRecord;
import dev.ponte.model.Appointment;
import dev.ponte.model.Patient;
import dev.ponte.model.Procedure;
import dev.ponte.model.References;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.Ids;
import dev.ponte.store.ImportRuns;
import dev.ponte.store.StoreException;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;

import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The import of a chunk of source records: map → validate → deduplicate → upsert canonical store + xref → append
 * event, in one transaction, one savepoint per row; rejected records become dead letters in that same transaction.
 * Thread safe.
 * <p>
 * Idempotent: a record whose (system, source id, content hash) was already taken in is UNCHANGED and produces no
 * event, so a redelivered or re-imported chunk changes nothing, even when a file holds several versions of a record.
 * (A record that goes back to an earlier content is therefore not re-applied; see the README.)
 */
final class ChunkImport {

    private final Database db;
    private final MappingRegistry mappings;
    private final RecordValidator validator;
    private final Clock clock;
    private final String clinic;
    private final DeadLetterWriter deadLetters;
    private final CommittedReferences references = new CommittedReferences(CommittedReferences.DEFAULT_CAPACITY);

    ChunkImport(Database db, MappingRegistry mappings, RecordValidator validator, Clock clock, String clinic,
                DeadLetterWriter deadLetters) {
        this.db = db;
        this.mappings = mappings;
        this.validator = validator;
        this.clock = clock;
        this.clinic = clinic;
        this.deadLetters = deadLetters;
    }

    /** Processes a chunk in one transaction and returns the outcome of each record. */
    List<RowResult> process(InboundChunk chunk) {
        Optional<Mapping> mapping = mappings.mapping(chunk.mapping());
        StoreReferenceCatalog[] used = new StoreReferenceCatalog[1];
        List<RowResult> outcome = db.inTransaction(c -> {
            StoreReferenceCatalog catalog = new StoreReferenceCatalog(c, chunk.system(), references);
            used[0] = catalog;
            List<RowResult> results = new ArrayList<>(chunk.rows().size());
            long[] counts = new long[RowOutcome.values().length];
            try (CanonicalStore.XrefReader xrefs = new CanonicalStore.XrefReader(c)) {
                for (RawRecord raw : chunk.rows()) {
                    // One savepoint per row, so that the store refusing one row's data (a value too long for its
                    // column, a constraint) rolls back that row only and the rest of the chunk commits. Per row
                    // rather than around the dead-letter insert alone: the upsert can be refused too, and in
                    // PostgreSQL any failed statement aborts the whole transaction unless a savepoint is rolled back
                    // to. Cheap: on H2, 500 savepoints set and released take about 0.8 ms, against 150-250 ms for
                    // a chunk of 500 patients (2026-12, 2-core machine): well under 1%.
                    Savepoint beforeRow = c.setSavepoint();
                    RowResult r;
                    try {
                        r = mapping.isPresent()
                                ? processRow(c, chunk, mapping.get(), raw, catalog, xrefs, null)
                                : deadLetters.noMapping(c, chunk, chunk.mapping(), raw, null);
                        c.releaseSavepoint(beforeRow);
                    } catch (SQLException | StoreException e) {
                        SQLException refusal = refusalOfTheData(e);
                        if (refusal == null) {
                            throw e; // the database itself is in trouble (disk, locks): the chunk is retried
                        }
                        c.rollback(beforeRow);
                        r = deadLetters.refused(c, chunk, mapping.orElse(null), raw, refusal);
                    }
                    counts[r.outcome().ordinal()]++;
                    results.add(r);
                }
            }
            if (chunk.runId() != null) {
                ImportRuns.add(c, chunk.runId(), chunk.file(), mapping.map(Mapping::id).orElse(chunk.mapping()),
                        new ImportRuns.Delta(chunk.rows().size(), counts[RowOutcome.CREATED.ordinal()],
                                counts[RowOutcome.UPDATED.ordinal()], counts[RowOutcome.UNCHANGED.ordinal()],
                                counts[RowOutcome.MERGED.ordinal()], counts[RowOutcome.REJECTED.ordinal()]));
            }
            return results;
        });
        references.addAll(used[0].readInThisTransaction()); // committed: inTransaction throws otherwise
        return outcome;
    }

    /**
     * One row of a chunk through the mapping and into the store, in the caller's transaction; a rejected row becomes
     * a dead letter, or, when it is the replay of dead letter {@code replayOf}, fails that one again.
     */
    RowResult processRow(Connection c, InboundChunk chunk, Mapping mapping, RawRecord raw,
                         StoreReferenceCatalog catalog, CanonicalStore.XrefReader xrefs, Long replayOf)
            throws SQLException {
        if (raw.readProblem() != null) {
            RawRecord.ReadProblem p = raw.readProblem();
            return deadLetters.reject(c, chunk, mapping, raw, DeadLetter.ErrorClass.MAPPING,
                    List.of(new Violation(null, p.rule(), p.sourceField(), p.value(), p.args())), replayOf);
        }
        MappedRecord mapped = mapping.apply(new SourceRecord(raw.line(), raw.values()), validator, catalog);
        if (!mapped.accepted()) {
            boolean mappingError = mapped.violations().stream().anyMatch(v -> Rules.isMappingRule(v.rule()));
            return deadLetters.reject(c, chunk, mapping, raw, mappingError ? DeadLetter.ErrorClass.MAPPING
                    : DeadLetter.ErrorClass.VALIDATION, mapped.violations(), replayOf);
        }
        if (mapped.sourceKey() == null) {
            return deadLetters.reject(c, chunk, mapping, raw, DeadLetter.ErrorClass.VALIDATION,
                    List.of(new Violation(null, Rules.REQUIRED, mapping.source().key(), null, Map.of())), replayOf);
        }
        return upsert(c, chunk, mapping, raw, mapped, catalog, xrefs);
    }

    private RowResult upsert(Connection c, InboundChunk chunk, Mapping mapping, RawRecord raw, MappedRecord mapped,
                             StoreReferenceCatalog catalog, CanonicalStore.XrefReader xrefs) throws SQLException {
        Instant now = clock.instant();
        String type = mapping.target().getSimpleName();
        String key = mapped.sourceKey();
        ObjectNode tree = Json.MAPPER.valueToTree(mapped.entity());
        String hash = Hashes.sha256(tree.toString());
        Optional<CanonicalStore.Xref> xref = xrefs.read(chunk.system(), type, key);
        if (xref.isPresent() && (xref.get().contentHash().equals(hash)
                || EventOutbox.seen(c, xref.get().canonicalId(), dedupeKey(chunk.system(), type, key, hash)))) {
            // the same (source, id, content) was already taken in: a repeat, not a change
            return new RowResult(raw.line(), key, RowOutcome.UNCHANGED, xref.get().canonicalId(), List.of(), null);
        }
        Patient patient = mapped.entity() instanceof Patient p ? p : null;
        if (xref.isEmpty() && patient != null) {
            Optional<String> same = PatientIdentity.sameCpf(c, patient);
            if (same.isPresent()) {
                CanonicalStore.putXref(c, chunk.system(), type, key, same.get(), hash, mapping.id(), now);
                event(c, chunk, mapping, EventTypes.type(Patient.class.getSimpleName(), EventTypes.MERGED),
                        same.get(), PatientIdentity.mergedEventData(same.get(), chunk.system(), key), key, hash, now);
                PatientIdentity.auditMerge(c, same.get(), chunk.system(), key, now);
                return new RowResult(raw.line(), key, RowOutcome.MERGED, same.get(), List.of(), null);
            }
        }
        // a procedure's canonical id is its code, which another system may already have brought in
        boolean newId = xref.isEmpty() && !(mapped.entity() instanceof Procedure);
        String canonicalId = xref.map(CanonicalStore.Xref::canonicalId).orElseGet(() ->
                mapped.entity() instanceof Procedure proc ? proc.code() : Ids.newId());
        resolveReferences(catalog, mapped.entity(), tree);
        if (tree.has("id")) {
            tree.put("id", canonicalId);
        }
        String payload = tree.toString();
        Optional<String> previous = xref.isPresent() ? CanonicalStore.payload(c, type, canonicalId) : Optional.empty();
        if (newId) {
            CanonicalStore.insert(c, type, canonicalId, payload, hash, now);
        } else {
            CanonicalStore.save(c, type, canonicalId, payload, hash, now);
        }
        if (xref.isEmpty()) {
            CanonicalStore.insertXref(c, chunk.system(), type, key, canonicalId, hash, mapping.id(), now);
        } else {
            CanonicalStore.putXref(c, chunk.system(), type, key, canonicalId, hash, mapping.id(), now);
        }
        if (patient != null && xref.isEmpty()) {
            PatientIdentity.register(c, patient, canonicalId, now);
        }
        event(c, chunk, mapping, eventType(type, mapped.entity(), previous), canonicalId, payload, key, hash, now);
        return new RowResult(raw.line(), key, xref.isPresent() ? RowOutcome.UPDATED : RowOutcome.CREATED, canonicalId,
                List.of(), null);
    }

    /** An appointment whose status differs from the stored one is status-changed; any other change is upserted. */
    private static String eventType(String type, Record entity, Optional<String> previous) {
        if (entity instanceof Appointment a && previous.isPresent()) {
            try {
                JsonNode before = Json.MAPPER.readTree(previous.get());
                if (!before.path("status").asText("").equals(String.valueOf(a.status()))) {
                    return EventTypes.type(type, EventTypes.STATUS_CHANGED);
                }
            } catch (JsonProcessingException e) {
                return EventTypes.type(type, EventTypes.UPSERTED);
            }
        }
        return EventTypes.type(type, EventTypes.UPSERTED);
    }

    /** Replaces source ids in reference fields by canonical ids, through the cross-references of the system. */
    private static void resolveReferences(StoreReferenceCatalog catalog, Record entity, ObjectNode tree) {
        for (Map.Entry<String, String> ref : REFERENCES.get(entity.getClass()).entrySet()) {
            JsonNode value = tree.get(ref.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            catalog.canonicalId(ref.getValue(), value.asText()).ifPresent(id -> tree.put(ref.getKey(), id));
        }
    }

    /**
     * The reference fields of each entity, field name → referenced entity, read once per class (reading the
     * annotations of every component for every row was 3 % of a bulk import's consumer).
     */
    private static final ClassValue<Map<String, String>> REFERENCES = new ClassValue<>() {
        @Override
        protected Map<String, String> computeValue(Class<?> type) {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                References ref = rc.getAnnotation(References.class);
                if (ref != null) {
                    out.put(rc.getName(), ref.value().getSimpleName());
                }
            }
            return Map.copyOf(out);
        }
    };

    private void event(Connection c, InboundChunk chunk, Mapping mapping, String type, String subject, String data,
                       String key, String hash, Instant now) throws SQLException {
        CanonicalEvent e = new CanonicalEvent(Ids.newId(), EventTypes.source(chunk.system(), chunk.connector()), type,
                subject, now, clinic, mapping.id(), chunk.correlationId(),
                chunk.system() + ":" + mapping.target().getSimpleName() + ":" + key, data);
        EventOutbox.append(c, e, dedupeKey(chunk.system(), mapping.target().getSimpleName(), key, hash));
    }

    /** The outbox's key of one content of one source record: the same key twice is the same change. */
    static String dedupeKey(String system, String type, String key, String hash) {
        return system + "|" + type + "|" + key + "|" + hash;
    }

    /**
     * The SQL exception behind {@code e} when it says the data cannot be stored (SQLState class 22, data exception,
     * or 23, integrity constraint): that row will fail the same way on every redelivery, so it must cost only
     * itself. Anything else (disk full, lock timeout, connection lost) is {@code null}: the chunk is retried.
     */
    static SQLException refusalOfTheData(Exception e) {
        Throwable t = e;
        while (t != null && !(t instanceof SQLException)) {
            t = t.getCause();
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
            return sql;
        }
        return null;
    }
}
