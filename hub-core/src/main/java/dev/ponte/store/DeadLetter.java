package dev.ponte.store;

import java.time.Instant;
import java.util.List;

/**
 * A record that could not go through, kept until it is replayed or discarded.
 *
 * @param payload    the source record as received (JSON: line and column values); unmasked, shown masked
 * @param violations JSON list of the violations (values already masked)
 * @param rules      rule ids of the violations, for filtering
 */
public record DeadLetter(long id, String connector, String system, String mapping, ErrorClass errorClass,
                         List<String> rules, String violations, String payload, String sourceFile, Long sourceLine,
                         String sourceKey, int attempts, Instant firstFailure, Instant lastFailure,
                         String correlationId, Status status, String resolution) {

    /** Why the record failed (DESIGN.md, dead letters). */
    public enum ErrorClass {
        /** The mapping could not convert a value (bad date, unknown code) or the row is malformed. */
        MAPPING,
        /** The canonical record breaks a constraint or clinic rule. */
        VALIDATION,
        /** A remote system refused the request for good (4xx). */
        PERMANENT_REMOTE,
        /** The broker gave up redelivering after the last attempt. */
        RETRIES_EXHAUSTED,
        /**
         * Nothing remote refused it: the hub or a connector failed locally (a bug in the sink, an exception outside
         * the error contract, a message on a sink's queue that is not a command). Fix the cause, then replay.
         */
        INTERNAL
    }

    /**
     * OPEN until an admin acts. An outbound command asked to be replayed is REPLAY_REQUESTED until the running hub
     * has sent it again to its sink (then REPLAYED): the broker lives in the hub, so the admin command only asks.
     */
    public enum Status { OPEN, REPLAY_REQUESTED, REPLAYED, DISCARDED }
}
