package dev.ponte.flows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** What the flows act on: a record as the store holds it now, not as its event carried it. */
final class CurrentRecord {

    private CurrentRecord() {
    }

    /**
     * The record as the store holds it now (a later event may have changed it since this one), or the event's data
     * when the store does not hold it or holds it unreadable.
     */
    static JsonNode of(Connection c, String entity, String id, JsonNode fallback) throws SQLException {
        Optional<String> payload = CanonicalStore.payload(c, entity, id);
        if (payload.isEmpty()) {
            return fallback;
        }
        try {
            return Json.MAPPER.readTree(payload.get());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return fallback;
        }
    }
}
