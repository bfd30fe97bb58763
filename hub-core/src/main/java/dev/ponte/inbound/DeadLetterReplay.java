package dev.ponte.inbound;

import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.RawRecord;

import dev.ponte.json.Json;
import dev.ponte.mapping.Mapping;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Replays open dead letters: a rejected row through the current version of its mapping, a whole message the broker
 * gave up on through the chunk import again. Thread safe.
 */
final class DeadLetterReplay {

    private final Database db;
    private final MappingRegistry mappings;
    private final Clock clock;
    private final ChunkImport chunks;
    private final DeadLetterWriter deadLetters;

    DeadLetterReplay(Database db, MappingRegistry mappings, Clock clock, ChunkImport chunks,
                     DeadLetterWriter deadLetters) {
        this.db = db;
        this.mappings = mappings;
        this.clock = clock;
        this.chunks = chunks;
        this.deadLetters = deadLetters;
    }

    /**
     * Replays an open dead letter through the current version of its mapping. On success the dead letter is closed
     * as REPLAYED; on failure it stays open with the new violations. Audited either way.
     *
     * @throws IllegalArgumentException when there is no open dead letter with this id
     */
    RowResult replay(long deadLetterId, String actor) {
        DeadLetter exhausted = db.inTransaction(c -> DeadLetters.get(c, deadLetterId).orElse(null));
        if (exhausted != null && exhausted.errorClass() == DeadLetter.ErrorClass.RETRIES_EXHAUSTED
                && exhausted.status() == DeadLetter.Status.OPEN) {
            return replayChunk(exhausted, actor);
        }
        return db.inTransaction(c -> {
            DeadLetter d = DeadLetters.get(c, deadLetterId).filter(x -> x.status() == DeadLetter.Status.OPEN)
                    .orElseThrow(() -> new IllegalArgumentException("no open dead letter with id " + deadLetterId));
            String name = d.mapping() == null ? null : d.mapping().replaceFirst("@\\d+$", "");
            RawRecord raw = readPayload(d);
            InboundChunk chunk = new InboundChunk(d.connector(), d.system(), name, d.sourceFile(), null,
                    d.correlationId(), null, List.of(raw));
            Optional<Mapping> mapping = name == null ? Optional.empty() : mappings.mapping(name);
            RowResult r;
            try (CanonicalStore.XrefReader xrefs = new CanonicalStore.XrefReader(c)) {
                r = mapping.isPresent()
                        ? chunks.processRow(c, chunk, mapping.get(), raw, new StoreReferenceCatalog(c, d.system()),
                        xrefs, d.id())
                        : deadLetters.noMapping(c, chunk, name, raw, d.id());
            }
            if (r.outcome() != RowOutcome.REJECTED) {
                DeadLetters.close(c, d.id(), DeadLetter.Status.REPLAYED, "replayed by " + actor + " as "
                        + r.outcome() + " with " + mapping.get().id());
            }
            AuditLog.append(c, actor, "dlq.replay", "dead-letter/" + d.id(), "outcome " + r.outcome(), null,
                    clock.instant());
            return r;
        });
    }

    /** A whole message the broker gave up on: process it again now; its rows get their own outcomes. */
    private RowResult replayChunk(DeadLetter d, String actor) {
        InboundChunk chunk;
        try {
            chunk = Json.MAPPER.readValue(d.payload(), InboundChunk.class);
        } catch (IOException e) {
            throw new IllegalStateException("dead letter " + d.id() + " is not a message of the hub (" + e.getMessage()
                    + "); nothing to replay: discard it with a reason");
        }
        List<RowResult> results = chunks.process(chunk);
        long rejected = results.stream().filter(r -> r.outcome() == RowOutcome.REJECTED).count();
        db.inTransaction(c -> {
            DeadLetters.close(c, d.id(), DeadLetter.Status.REPLAYED, "replayed by " + actor + ": " + results.size()
                    + " rows, " + rejected + " rejected (see their own dead letters)");
            AuditLog.append(c, actor, "dlq.replay", "dead-letter/" + d.id(), results.size() + " rows", null,
                    clock.instant());
            return null;
        });
        return new RowResult(0, null, RowOutcome.UPDATED, null, List.of(), null);
    }

    private static RawRecord readPayload(DeadLetter d) {
        try {
            return Json.MAPPER.readValue(d.payload(), RawRecord.class);
        } catch (IOException e) {
            throw new IllegalStateException("dead letter " + d.id() + " has no replayable payload (" + e.getMessage()
                    + "); discard it with a reason", e);
        }
    }
}
