package dev.ponte.testkit;

import java.util.List;

/**
 * What the hub did with one record a source sent, as the kit shows it to a connector's tests (which see no hub
 * types).
 *
 * @param line    the record's position in the source
 * @param key     its source key, or {@code null} when it had none
 * @param outcome what the hub did
 * @param rules   the rules it broke when rejected (e.g. {@code malformed-row}, {@code invalid-cpf}); else empty
 */
public record InboundResult(long line, String key, Outcome outcome, List<String> rules) {

    public InboundResult {
        rules = List.copyOf(rules);
    }

    /** What the hub did with the record. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED, MERGED, REJECTED }
}
