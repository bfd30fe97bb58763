package dev.ponte.inbound;

/** What happened to one source record. */
public enum RowOutcome {
    /** A new canonical record. */
    CREATED,
    /** An existing record changed. */
    UPDATED,
    /** The same content again: nothing stored, no event. */
    UNCHANGED,
    /** A new source record of a patient the hub already knows by CPF: cross-referenced, {@code patient.merged}. */
    MERGED,
    /** Sent to the dead letters with its violations. */
    REJECTED;

    /** Whether the record's change appended an event to the outbox (created, updated, merged). */
    public boolean appendsEvent() {
        return this == CREATED || this == UPDATED || this == MERGED;
    }
}
