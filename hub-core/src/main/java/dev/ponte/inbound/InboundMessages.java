package dev.ponte.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.InboundSender;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundChunk;

/**
 * Reads the messages of a {@code ponte.in.<instance>} queue: an {@link InboundChunk} or an {@link ExternalChange}.
 * Messages sent through the SPI ({@link InboundSender}) name their kind in {@link InboundSender#KIND_HEADER}; a
 * message without it (sent before 0.2 and still in a queue, or replayed from an old dead letter) is told apart by
 * its fields, as before.
 */
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
        return parse(body, null, instance);
    }

    /**
     * The message in a body, of the kind its header names.
     *
     * @param kind {@link InboundSender#CHUNK}, {@link InboundSender#CHANGE}, or {@code null} to tell by the fields
     * @return an {@link InboundChunk} or an {@link ExternalChange}
     * @throws IllegalArgumentException naming the queue and the position of the problem, never the content
     */
    public static Object parse(String body, String kind, String instance) {
        try {
            if (kind != null && !InboundSender.CHUNK.equals(kind) && !InboundSender.CHANGE.equals(kind)) {
                throw new IllegalArgumentException("unknown " + InboundSender.KIND_HEADER + " " + kind);
            }
            JsonNode tree = Json.MAPPER.readTree(body == null ? "" : body);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            boolean change = kind != null ? InboundSender.CHANGE.equals(kind)
                    : tree.has("fields") && tree.has("sourceId");
            return change ? Json.MAPPER.treeToValue(tree, ExternalChange.class)
                    : Json.MAPPER.treeToValue(tree, InboundChunk.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a message on ponte.in." + instance + " is not an inbound chunk or "
                    + "external change (" + e.getClass().getSimpleName() + (e instanceof JsonProcessingException j
                    && j.getLocation() != null ? " at character " + j.getLocation().getCharOffset() : "")
                    + "); the broker will retry, then move it to ponte.dlq");
        }
    }
}
