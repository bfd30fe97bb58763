package dev.ponte.inbound;

import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.ExternalChange;

import dev.ponte.store.Database;
import dev.ponte.validation.RecordValidator;

import java.time.Clock;
import java.util.List;

/**
 * The inbound side of the hub, one entry point for its callers: the hub's route calls {@link #process} for each
 * message of {@code ponte.in.<connector>} and {@link #applyChange} for changes made in external systems; the admin
 * CLI calls {@link #replay} for a dead letter. Each role is its own class: {@link ChunkImport} (map → validate →
 * deduplicate → upsert → event, with {@link PatientIdentity}), {@link ExternalChanges} (the hub-wins conflict
 * policy), {@link DeadLetterReplay}, all writing dead letters through {@link DeadLetterWriter} and naming events
 * through {@link EventTypes}. Thread safe.
 */
public final class InboundProcessor {

    private final ChunkImport chunks;
    private final ExternalChanges changes;
    private final DeadLetterReplay replays;

    public InboundProcessor(Database db, MappingRegistry mappings, RecordValidator validator, Clock clock,
                            String clinic) {
        DeadLetterWriter deadLetters = new DeadLetterWriter(clock);
        this.chunks = new ChunkImport(db, mappings, validator, clock, clinic, deadLetters);
        this.changes = new ExternalChanges(db, validator, clock, clinic, deadLetters);
        this.replays = new DeadLetterReplay(db, mappings, clock, chunks, deadLetters);
    }

    /**
     * Processes a chunk in one transaction and returns the outcome of each record; see {@link ChunkImport}
     * (idempotent: a record already taken in with the same content is UNCHANGED and produces no event).
     */
    public List<RowResult> process(InboundChunk chunk) {
        return chunks.process(chunk);
    }

    /**
     * Applies a change made in an external system to a record the hub holds; the hub wins conflicts. See
     * {@link ExternalChanges#apply}.
     *
     * @return UPDATED, UNCHANGED or REJECTED (with a dead letter)
     */
    public RowResult applyChange(ExternalChange change) {
        return changes.apply(change);
    }

    /**
     * Replays an open dead letter through the current version of its mapping. On success the dead letter is closed
     * as REPLAYED; on failure it stays open with the new violations. Audited either way.
     *
     * @throws IllegalArgumentException when there is no open dead letter with this id
     */
    public RowResult replay(long deadLetterId, String actor) {
        return replays.replay(deadLetterId, actor);
    }
}
