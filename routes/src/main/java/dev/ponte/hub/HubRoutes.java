package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.broker.Queues;
import dev.ponte.inbound.ExternalChange;
import dev.ponte.inbound.InboundChunk;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.inbound.InboundProcessor;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportReport;
import dev.ponte.store.ImportRuns;
import dev.ponte.validation.Rules;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's own flows: one transacted inbound route per source instance ({@code ponte.in.<instance>} → inbound
 * pipeline), the dead-letter drain ({@code ponte.dlq} → dead-letter store), the event publisher (outbox →
 * {@code ponte.events}, and commands to {@code ponte.out.<sink>}) and the health endpoint.
 */
final class HubRoutes extends RouteBuilder {

    private final Database db;
    private final Map<String, InboundProcessor> processors;
    private final Map<String, Set<String>> sinks;
    private final HubHealth health;

    /**
     * @param processors inbound pipeline per source instance
     * @param sinks      entities each sink instance writes, by instance: events about them become its commands
     */
    HubRoutes(Database db, Map<String, InboundProcessor> processors, Map<String, Set<String>> sinks,
              HubHealth health) {
        this.db = db;
        this.processors = processors;
        this.sinks = sinks;
        this.health = health;
    }

    @Override
    public void configure() {
        ProducerTemplate producer = getContext().createProducerTemplate();
        processors.forEach((instance, processor) ->
                from(Queues.transactedConsumer(Queues.inbound(instance)))
                        .routeId(instance + "-inbound")
                        .errorHandler(defaultErrorHandler().logExhausted(false))
                        .process(e -> {
                            Object message = parse(e.getIn().getBody(String.class), instance);
                            if (message instanceof ExternalChange change) {
                                processor.applyChange(change);
                            } else {
                                InboundChunk chunk = (InboundChunk) message;
                                processor.process(chunk);
                                writeReportIfComplete(chunk);
                            }
                        }));

        from("jms:queue:" + Queues.DLQ + "?transacted=true")
                .routeId("dead-letter-drain")
                .process(this::recordExhausted);

        from("timer:ponte-event-publisher?period=200&delay=200")
                .routeId("event-publisher")
                .process(e -> publishEvents(producer));

        from("platform-http:/health?httpMethodRestrict=GET")
                .routeId("health")
                .process(e -> {
                    ObjectNode status = health.check();
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE,
                            "DOWN".equals(status.path("status").asText()) ? 503 : 200);
                    e.getMessage().setBody(status.toString());
                });
    }

    /**
     * The chunk or external change in a message; the error names the queue and position, never the content
     * (personal data).
     */
    private static Object parse(String body, String instance) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(body);
            return tree != null && tree.has("fields") && tree.has("sourceId")
                    ? Json.MAPPER.treeToValue(tree, ExternalChange.class)
                    : Json.MAPPER.treeToValue(tree, InboundChunk.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a message on ponte.in." + instance + " is not an inbound chunk ("
                    + e.getClass().getSimpleName() + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    && j.getLocation() != null ? " at character " + j.getLocation().getCharOffset() : "")
                    + "); the broker will retry, then move it to ponte.dlq");
        }
    }

    private void writeReportIfComplete(InboundChunk chunk) throws Exception {
        if (chunk.reportDir() == null || chunk.runId() == null) {
            return;
        }
        ObjectNode report = db.inTransaction(c -> {
            ImportRuns.FileCounts counts = ImportRuns.files(c, chunk.runId()).get(chunk.file());
            return counts != null && counts.complete() ? ImportReport.of(c, chunk.runId(), chunk.file()) : null;
        });
        if (report != null) {
            Path dir = Path.of(chunk.reportDir());
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(chunk.file() + ".report.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
    }

    /** A message the broker gave up on: keep it, byte for byte, as a RETRIES_EXHAUSTED dead letter. */
    private void recordExhausted(Exchange e) {
        String origin = String.valueOf(e.getIn().getHeader("_AMQ_ORIG_ADDRESS"));
        String connector = Queues.instanceOf(origin);
        String body = e.getIn().getBody(String.class);
        Integer attempts = e.getIn().getHeader("JMSXDeliveryCount", Integer.class);
        String violations = Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                .put("rule", Rules.RETRIES_EXHAUSTED).put("detail", "the broker gave up after "
                        + (attempts == null ? "its maximum" : attempts) + " delivery attempts on " + origin)).toString();
        db.inTransaction(c -> DeadLetters.add(c, connector, null, null, DeadLetter.ErrorClass.RETRIES_EXHAUSTED,
                List.of(Rules.RETRIES_EXHAUSTED), violations, body == null ? "" : body, null, null, null,
                e.getIn().getHeader("JMSCorrelationID", String.class), Instant.now()));
    }

    /**
     * Drains the outbox: each event to {@code ponte.events} and, as a command, to every sink instance that writes its
     * entity. At least once: a crash between sending and marking resends, and sinks drop what they already did.
     */
    private void publishEvents(ProducerTemplate producer) throws Exception {
        List<CanonicalEvent> batch;
        do {
            batch = db.inTransaction(c -> EventOutbox.unpublished(c, 500));
            for (CanonicalEvent event : batch) {
                producer.sendBodyAndHeader("jms:topic:" + Queues.EVENTS, event.toJson(), "ce_type",
                        event.type());
                for (Map.Entry<String, Set<String>> sink : sinks.entrySet()) {
                    Optional<OutboundCommand> command = db.inTransaction(c -> OutboundCommands.forSink(c, event,
                            sink.getKey(), sink.getValue()));
                    if (command.isPresent()) {
                        producer.sendBodyAndHeader(Queues.jms(Queues.outbound(sink.getKey())),
                                Json.MAPPER.writeValueAsString(command.get()), "JMSCorrelationID",
                                event.correlationId());
                    }
                }
            }
            List<String> ids = batch.stream().map(CanonicalEvent::id).toList();
            if (!ids.isEmpty()) {
                db.inTransaction(c -> {
                    EventOutbox.markPublished(c, ids);
                    return null;
                });
            }
        } while (batch.size() == 500);
    }
}
