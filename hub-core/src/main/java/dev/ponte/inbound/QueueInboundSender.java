package dev.ponte.inbound;

import dev.ponte.json.Json;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.InboundSender;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link InboundSender} over a Camel endpoint (the instance's {@code ponte.in.<instance>} queue): JSON body, the kind
 * in {@link InboundSender#KIND_HEADER}, the correlation id in {@code JMSCorrelationID}. The Camel context is looked
 * up at the first send: connector instances are opened before Camel starts.
 */
public final class QueueInboundSender implements InboundSender {

    private final Supplier<CamelContext> camel;
    private final String uri;
    private volatile ProducerTemplate producer;

    public QueueInboundSender(Supplier<CamelContext> camel, String uri) {
        this.camel = camel;
        this.uri = uri;
    }

    @Override
    public void send(InboundChunk chunk) {
        send(chunk, CHUNK, chunk.correlationId(), group(chunk));
    }

    @Override
    public void send(ExternalChange change) {
        send(change, CHANGE, change.correlationId(), group(change));
    }

    /**
     * The message group of a chunk (Artemis {@code JMSXGroupID}): its import run, so that where several hubs take
     * the instance's queue, one of them at a time takes in a run's files, in the order they were read (patients
     * before the appointments that name them, two versions of a row in the order of the file), and another takes
     * the run over when that hub dies. A chunk without a run (a webhook's batch) is grouped by its file.
     */
    static String group(InboundChunk chunk) {
        return chunk.runId() != null ? "run:" + chunk.runId()
                : "file:" + chunk.connector() + ":" + (chunk.file() == null ? "" : chunk.file());
    }

    /** The group of one external change: its record, so that its changes are applied in the order they came. */
    static String group(ExternalChange change) {
        return "record:" + change.system() + ":" + change.entity() + ":" + change.sourceId();
    }

    private void send(Object message, String kind, String correlationId, String group) {
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("an inbound " + kind + " cannot be written as JSON", e);
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(KIND_HEADER, kind);
        headers.put("JMSXGroupID", group);
        if (correlationId != null) {
            headers.put("JMSCorrelationID", correlationId);
        }
        producer().sendBodyAndHeaders(uri, body, headers);
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = camel.get().createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }
}
