package dev.ponte.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * A change made in an external system to a record the hub already holds, for example an appointment moved or
 * deleted in a professional's Google Calendar. Unlike an {@link InboundChunk} it carries canonical field values, not
 * a source row: the connector already speaks the canonical model for the few fields the remote may change.
 *
 * @param connector     connector instance that saw the change
 * @param system        external system ({@code google-calendar})
 * @param entity        canonical entity, e.g. {@code Appointment}
 * @param sourceId      the record's id in the external system (event id)
 * @param canonicalId   the record's canonical id when the remote carries it (our id in the event's private
 *                      properties); else {@code null} and the hub resolves {@code sourceId} through its xrefs
 * @param fields        the changed canonical fields with their new values (glossary names), e.g. start, end, status
 * @param changedAt     when the remote says the change happened
 * @param correlationId id shared by everything this sync or notification causes
 *
 * @since 0.1 (in dev.ponte.spi since 0.2)
 */
public record ExternalChange(String connector, String system, String entity, String sourceId, String canonicalId,
                             ObjectNode fields, Instant changedAt, String correlationId) {
}
