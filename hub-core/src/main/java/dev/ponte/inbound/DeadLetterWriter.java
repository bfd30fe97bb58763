package dev.ponte.inbound;

import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.RawRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ponte.json.Json;
import dev.ponte.mapping.Mapping;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Writes the dead letters of the inbound side, in the caller's transaction: a rejected row of a chunk (or a replay
 * that failed again), a row whose data the store refused, and a rejected external change. Thread safe.
 */
final class DeadLetterWriter {

    private final Clock clock;

    DeadLetterWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * A row of {@code chunk} rejected: a new dead letter; the open dead letter of the very same row when a later
     * import rejects it again (so that re-importing an unchanged export adds nothing); or the dead letter
     * {@code replayOf} failed again.
     */
    RowResult reject(Connection c, InboundChunk chunk, Mapping mapping, RawRecord raw,
                     DeadLetter.ErrorClass errorClass, List<Violation> violations, Long replayOf)
            throws SQLException {
        List<String> rules = violations.stream().map(Violation::rule).distinct().toList();
        String violationsJson = json(violations);
        String payload = json(raw);
        String mappingId = mapping != null ? mapping.id() : chunk.mapping();
        String key = mapping != null && mapping.source().key() != null ? raw.values().get(mapping.source().key()) : null;
        Long id = replayOf;
        java.util.Optional<Long> same = replayOf != null ? java.util.Optional.empty()
                : DeadLetters.openForSameRow(c, chunk.connector(), mappingId, chunk.file(), key, payload);
        if (same.isPresent()) { // a re-import of an unchanged export: the row's dead letter, seen again
            id = same.get();
            DeadLetters.seenAgain(c, id, rules, violationsJson, chunk.correlationId(), clock.instant());
        } else if (replayOf == null) {
            id = DeadLetters.add(c, chunk.connector(), chunk.system(), mappingId, errorClass, rules, violationsJson,
                    payload, chunk.file(), raw.line(), key, chunk.correlationId(), clock.instant());
        } else {
            DeadLetters.failedAgain(c, replayOf, mappingId, errorClass, rules, violationsJson, clock.instant());
        }
        return new RowResult(raw.line(), key, RowOutcome.REJECTED, null, violations, id);
    }

    /** A row of {@code chunk} whose mapping is not loaded. */
    RowResult noMapping(Connection c, InboundChunk chunk, String name, RawRecord raw, Long replayOf)
            throws SQLException {
        return reject(c, chunk, null, raw, DeadLetter.ErrorClass.MAPPING, List.of(new Violation(null,
                Rules.MAPPING_ERROR, null, null, Map.of("detail", "no mapping named " + name + " is loaded"))),
                replayOf);
    }

    /**
     * A row whose data the store refused: a dead letter in a form that cannot be refused in turn (its varchar values
     * are cut to fit by {@link DeadLetters}, payload and violations are text), with the original payload for replay.
     * If even this fails the exception goes up and the chunk is rolled back, as for any other database error.
     */
    RowResult refused(Connection c, InboundChunk chunk, Mapping mapping, RawRecord raw, SQLException e)
            throws SQLException {
        String message = String.valueOf(e.getMessage());
        // H2 appends the statement and quotes the offending value: keep neither (the value may be personal data)
        for (String end : List.of("; SQL statement", ": \"", "\n")) {
            int at = message.indexOf(end);
            message = at < 0 ? message : message.substring(0, at);
        }
        String detail = DeadLetters.fit(message, 300) + " (SQLState " + e.getSQLState() + ")";
        return reject(c, chunk, mapping, raw, DeadLetter.ErrorClass.VALIDATION, List.of(new Violation(null,
                Rules.STORE_REFUSED, null, null, Map.of("detail", detail))), null);
    }

    /** An external change rejected. */
    RowResult rejectChange(Connection c, ExternalChange change, DeadLetter.ErrorClass errorClass,
                           Violation... violations) throws SQLException {
        List<Violation> list = List.of(violations);
        long id = DeadLetters.add(c, change.connector(), change.system(), null, errorClass,
                list.stream().map(Violation::rule).distinct().toList(), json(list), json(change),
                null, null, change.sourceId(), change.correlationId(), clock.instant());
        return new RowResult(0, change.sourceId(), RowOutcome.REJECTED, null, list, id);
    }

    /** The JSON of a dead letter's payload or violations (records of the hub: cannot fail short of a bug). */
    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a dead letter", e);
        }
    }
}
