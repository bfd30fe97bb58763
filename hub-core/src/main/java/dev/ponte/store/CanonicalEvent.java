package dev.ponte.store;

import java.time.Instant;

/**
 * A change to the canonical store, with CloudEvents 1.0 attribute names, as published on {@code ponte.events}.
 *
 * @param id            unique event id
 * @param source        where the change came from ({@code ponte://legacy-clinic/legacy})
 * @param type          {@code <entity>.<verb>}: {@code appointment.upserted}, {@code appointment.status-changed},
 *                      {@code patient.merged}
 * @param subject       canonical id of the record
 * @param time          when the hub made the change
 * @param clinic        clinic the hub serves
 * @param mapping       mapping that produced the record, {@code name@version}
 * @param correlationId id shared by everything one import or message caused
 * @param causationId   id of what caused this event (source record {@code system:type:id})
 * @param data          the canonical record (JSON)
 */
public record CanonicalEvent(String id, String source, String type, String subject, Instant time, String clinic,
                             String mapping, String correlationId, String causationId, String data) {

    /** Structured-mode CloudEvents JSON of this event. */
    public String toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o = dev.ponte.json.Json.MAPPER.createObjectNode();
        o.put("specversion", "1.0");
        o.put("id", id);
        o.put("source", source);
        o.put("type", type);
        o.put("subject", subject);
        o.put("time", time.toString());
        o.put("datacontenttype", "application/json");
        o.put("clinic", clinic);
        o.put("mapping", mapping);
        o.put("correlationid", correlationId);
        o.put("causationid", causationId);
        try {
            o.set("data", dev.ponte.json.Json.MAPPER.readTree(data));
            return dev.ponte.json.Json.MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("event data is not JSON: " + id, e);
        }
    }
}
