package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.inbound.InboundChunk;
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

/**
 * The hub's own flows: one transacted inbound route per source instance ({@code ponte.in.<instance>} → inbound
 * pipeline), the dead-letter drain ({@code ponte.dlq} → dead-letter store), the event publisher (outbox →
 * {@code ponte.events}) and the health endpoint.
 */
final class HubRoutes extends RouteBuilder {

    private final Database db;
    private final Map<String, InboundProcessor> processors;
    private final HubHealth health;

    HubRoutes(Database db, Map<String, InboundProcessor> processors, HubHealth health) {
        this.db = db;
        this.processors = processors;
        this.health = health;
    }

    @Override
    public void configure() {
        ProducerTemplate producer = getContext().createProducerTemplate();
        processors.forEach((instance, processor) ->
                from("jms:queue:ponte.in." + instance + "?transacted=true&concurrentConsumers=1"
                        + "&cacheLevelName=CACHE_CONSUMER")
                        .routeId(instance + "-inbound")
                        .errorHandler(defaultErrorHandler().logExhausted(false))
                        .process(e -> {
                            InboundChunk chunk = parse(e.getIn().getBody(String.class), instance);
                            processor.process(chunk);
                            writeReportIfComplete(chunk);
                        }));

        from("jms:queue:" + EmbeddedBroker.DLQ + "?transacted=true")
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
                            "UP".equals(status.path("status").asText()) ? 200 : 503);
                    e.getMessage().setBody(status.toString());
                });
    }

    /** The chunk in a message; the error names the queue and position, never the content (personal data). */
    private static InboundChunk parse(String body, String instance) {
        try {
            return Json.MAPPER.readValue(body, InboundChunk.class);
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
        String connector = origin.startsWith("ponte.in.") ? origin.substring("ponte.in.".length()) : origin;
        String body = e.getIn().getBody(String.class);
        Integer attempts = e.getIn().getHeader("JMSXDeliveryCount", Integer.class);
        String violations = Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                .put("rule", Rules.RETRIES_EXHAUSTED).put("detail", "the broker gave up after "
                        + (attempts == null ? "its maximum" : attempts) + " delivery attempts on " + origin)).toString();
        db.inTransaction(c -> DeadLetters.add(c, connector, null, null, DeadLetter.ErrorClass.RETRIES_EXHAUSTED,
                List.of(Rules.RETRIES_EXHAUSTED), violations, body == null ? "" : body, null, null, null,
                e.getIn().getHeader("JMSCorrelationID", String.class), Instant.now()));
    }

    private void publishEvents(ProducerTemplate producer) {
        List<CanonicalEvent> batch;
        do {
            batch = db.inTransaction(c -> EventOutbox.unpublished(c, 500));
            for (CanonicalEvent event : batch) {
                producer.sendBodyAndHeader("jms:topic:" + EmbeddedBroker.EVENTS, event.toJson(), "ce_type",
                        event.type());
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
