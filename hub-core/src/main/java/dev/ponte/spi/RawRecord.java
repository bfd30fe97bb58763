package dev.ponte.spi;

import dev.ponte.validation.Violation;

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
public record RawRecord(long line, Map<String, String> values, Violation readProblem) {
}
