package dev.ponte.inbound;

import dev.ponte.validation.Violation;

import java.util.List;

/**
 * The outcome of one source record.
 *
 * @param line         where it was in the source
 * @param key          its id in the source system
 * @param outcome      what happened
 * @param canonicalId  the canonical record it became or updated, {@code null} when rejected
 * @param violations   why it was rejected; empty otherwise
 * @param deadLetterId the dead letter holding it, when rejected
 */
public record RowResult(long line, String key, RowOutcome outcome, String canonicalId, List<Violation> violations,
                        Long deadLetterId) {
}
