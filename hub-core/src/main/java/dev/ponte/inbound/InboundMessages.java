package dev.ponte.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;

/** Reads the messages of a {@code ponte.in.<instance>} queue: an {@link InboundChunk} or an {@link ExternalChange}. */
public final class InboundMessages {

    private InboundMessages() {
    }

    /**
     * The message in a body.
     *
     * @return an {@link InboundChunk} or an {@link ExternalChange}
     * @throws IllegalArgumentException naming the queue and the position of the problem, never the content (it may
     *                                  hold personal data)
     */
    public static Object parse(String body, String instance) {
        try {
            JsonNode tree = Json.MAPPER.readTree(body == null ? "" : body);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return tree.has("fields") && tree.has("sourceId") ? Json.MAPPER.treeToValue(tree, ExternalChange.class)
                    : Json.MAPPER.treeToValue(tree, InboundChunk.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a message on ponte.in." + instance + " is not an inbound chunk or "
                    + "external change (" + e.getClass().getSimpleName() + (e instanceof JsonProcessingException j
                    && j.getLocation() != null ? " at character " + j.getLocation().getCharOffset() : "")
                    + "); the broker will retry, then move it to ponte.dlq");
        }
    }
}
