package dev.ponte.spi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * A record as a source connector read it, before mapping: what travels on {@code ponte.in.<connector>} and what a
 * dead letter keeps for replay.
 *
 * @param line        position in the source (file line, row number), for reports
 * @param values      column → raw text
 * @param readProblem why the record could not even be read (a malformed row), or {@code null}
 *
 * @since 0.1 (in dev.ponte.spi since 0.2)
 */
public record RawRecord(long line, Map<String, String> values, ReadProblem readProblem) {

    /**
     * Why a record could not be read: the hub turns it into the record's dead letter, with the rule and column.
     *
     * @param rule        the glossary rule broken, e.g. {@code malformed-row}, {@code invalid-encoding}
     * @param sourceField the column at fault, or {@code null} for the whole row
     * @param value       the offending text, or {@code null}; masked in reports like any value
     * @param args        the rule's details (expected column count, encoding), for the message
     * @since 0.2
     */
    @JsonIgnoreProperties(ignoreUnknown = true) // messages and dead letters written before 0.2 also carry "path"
    public record ReadProblem(String rule, String sourceField, String value, Map<String, Object> args) {
        public ReadProblem {
            args = args == null ? Map.of() : Map.copyOf(args);
        }
    }
}
