package dev.ponte.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

/**
 * What the hub asks a sink to do about one canonical record, built from a canonical event.
 *
 * @param id            unique id of this command
 * @param businessKey   the idempotency key of the external effect, {@code <instance>:<entity>:<canonical id>}, e.g.
 *                      {@code calendar-ana:appointment:5f0c…}; one external effect per key and content
 * @param entity        canonical entity name, e.g. {@code Appointment}
 * @param action        what to do
 * @param canonicalId   the record's canonical id
 * @param data          the canonical record as JSON (glossary field names)
 * @param related       the records it references, by reference field name ({@code patientId},
 *                      {@code professionalId}, {@code procedureCode}), as the hub holds them now; for a reference the
 *                      model marks deep (an Invoice's {@code chargeId}) also their references, by path:
 *                      {@code chargeId.patientId}, {@code chargeId.appointmentId.procedureCode} (since 0.5)
 * @param eventType     the canonical event that caused the command, e.g. {@code appointment.status-changed}
 * @param correlationId the correlation id of the event (import run, webhook delivery)
 * @param causationId   the id of the event
 * @param time          when the event happened
 * @param sourceIds     the record's id in each source system it came from, by system ({@code legacy-clinic} →
 *                      {@code 200017}): what a sink writing back to that system updates (since 0.6)
 * @since 0.1 (paths in {@code related}: 0.5; {@code sourceIds}: 0.6)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboundCommand(String id, String businessKey, String entity, Action action, String canonicalId,
                              JsonNode data, Map<String, JsonNode> related, String eventType, String correlationId,
                              String causationId, Instant time, Map<String, String> sourceIds) {

    public OutboundCommand {
        related = related == null ? Map.of() : Map.copyOf(related);
        sourceIds = sourceIds == null ? Map.of() : Map.copyOf(sourceIds);
    }

    /** A command without source ids (a record the hub made, tests). */
    public OutboundCommand(String id, String businessKey, String entity, Action action, String canonicalId,
                           JsonNode data, Map<String, JsonNode> related, String eventType, String correlationId,
                           String causationId, Instant time) {
        this(id, businessKey, entity, action, canonicalId, data, related, eventType, correlationId, causationId, time,
                Map.of());
    }

    /** The record's id in a source system, or {@code null} when it did not come from there (since 0.6). */
    public String sourceId(String system) {
        return sourceIds.get(system);
    }

    /** What a sink does with the record. */
    public enum Action {
        /** Create the external counterpart, or bring it up to date. */
        UPSERT,
        /** Remove or cancel the external counterpart (an appointment cancelled, a record deleted). */
        DELETE
    }

    /**
     * A top-level field of {@link #data} as text, e.g. {@code text("start")}; {@code null} if absent. A field of a
     * related record is {@link #related(String, String)}.
     */
    public String text(String field) {
        JsonNode n = data == null ? null : data.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * A field of a related record: {@code related("professionalId", "calendarId")}, or by path
     * {@code related("chargeId.patientId", "cpf")}; {@code null} if absent.
     */
    public String related(String referenceField, String field) {
        JsonNode r = related.get(referenceField);
        JsonNode n = r == null ? null : r.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
