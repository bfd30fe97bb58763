package dev.ponte.mapping;

import dev.ponte.validation.Violation;

import java.util.List;

/**
 * The outcome of mapping (and validating) one source record.
 *
 * @param line       where the record starts in the source
 * @param sourceKey  the record's id in the source system (value of the mapping's key column), may be {@code null}
 * @param entity     the canonical record; {@code null} when rejected
 * @param violations why it was rejected; empty when accepted
 */
public record MappedRecord(long line, String sourceKey, Record entity, List<Violation> violations) {

    public MappedRecord {
        violations = List.copyOf(violations);
    }

    public boolean accepted() {
        return violations.isEmpty();
    }

    public static MappedRecord rejected(long line, String sourceKey, List<Violation> violations) {
        return new MappedRecord(line, sourceKey, null, violations);
    }
}
