package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.broker.Queues;
import dev.ponte.spi.InboundChunk;
import dev.ponte.json.Json;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportReport;
import dev.ponte.validation.Rules;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's own routes: the dead-letter drain ({@code ponte.dlq} → dead-letter store), the event publisher (outbox →
 * {@code ponte.events}), the replayer of dead letters and the health endpoint (not in one-shot runs). The flows
 * that consume the events are in {@code dev.ponte.flows}.
 */
final class HubRoutes extends RouteBuilder {

    private final Database db;
    private final Map<String, Set<String>> sinks;
    private final HubHealth health;
    private final int maxAttempts;
    private final jakarta.jms.ConnectionFactory broker;
    private final dev.ponte.outbound.DeliveryOutcomes outcomes;
    /** Published events older than this many days are deleted ({@code ponte.events.retention-days}); 0 keeps all. */
    private final int retentionDays;

    /**
     * @param sinks       entities each sink instance writes, by instance: the instances dead letters are replayed to
     * @param health      the checks behind {@code /health}, or {@code null} for a one-shot run (no HTTP server)
     * @param maxAttempts the embedded broker's delivery attempts, for dead-letter messages; 0 when not known
     * @param outcomes    what a command the broker gave up on does besides (a message moves to its next channel)
     */
    HubRoutes(Database db, Map<String, Set<String>> sinks, HubHealth health, int maxAttempts,
              jakarta.jms.ConnectionFactory broker, dev.ponte.outbound.DeliveryOutcomes outcomes, int retentionDays) {
        this.retentionDays = retentionDays;
        this.outcomes = outcomes;
        this.broker = broker;
        this.db = db;
        this.sinks = sinks;
        this.health = health;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void configure() {
        ProducerTemplate producer = getContext().createProducerTemplate();
        wake = producer;
        // accepts a message received while stopping (and commits it) instead of rejecting it: Spring's listener
        // container otherwise interrupts a receive that has not returned one receive timeout after the stop, which
        // logs a WARN "Setup of JMS message listener invoker failed ... InterruptedException" on a loaded machine
        from("jms:queue:" + Queues.DLQ + "?transacted=true&acceptMessagesWhileStopping=true")
                .routeId("dead-letter-drain")
                .process(this::recordExhausted);

        from("timer:ponte-dead-letter-replayer?period=1000&delay=1000")
                .routeId("dead-letter-replayer")
                .process(e -> replayRequested(producer));

        // the publisher drains the outbox when told (publishSoon: an inbound message committed events) and at
        // least every 200 ms (events of flows, of admin commands and of other processes); a queue of one look, so a
        // request made while it drains makes one more look, and requests made meanwhile add none
        from("timer:ponte-event-publisher?period=200&delay=200")
                .routeId("event-publisher-timer")
                .to(PUBLISH);
        from(PUBLISH)
                .routeId("event-publisher")
                .process(e -> publishEvents(e));

        if (retentionDays > 0) {
            from("timer:ponte-event-retention?period=3600000&delay=60000")
                    .routeId("event-retention")
                    .process(this::purgeOldEvents);
        }

        if (health == null) {
            return; // a one-shot run serves no HTTP
        }
        HubHealthChecks checks = new HubHealthChecks(health::check);
        checks.register(getContext());
        from("platform-http:/health/live?httpMethodRestrict=GET")
                .routeId("health-live")
                .process(e -> answer(e, checks.liveness()));
        from("platform-http:/health/ready?httpMethodRestrict=GET")
                .routeId("health-ready")
                .process(e -> answer(e, checks.readiness()));
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

    /** A liveness or readiness answer: 200 when UP, 503 when DOWN, with the check's details. */
    private static void answer(Exchange e, org.apache.camel.health.HealthCheck.Result r) {
        ObjectNode o = dev.ponte.json.Json.MAPPER.createObjectNode().put("status", r.getState().name())
                .put("check", r.getCheck().getId());
        r.getMessage().ifPresent(m -> o.put("message", m));
        ObjectNode details = o.putObject("details");
        r.getDetails().forEach((k, v) -> {
            if (!k.startsWith("invocation.") && !k.startsWith("failure.") && !k.equals("check.id")
                    && !k.equals("check.group") && !k.equals("check.kind")) {
                details.put(k, String.valueOf(v));
            }
        });
        e.getIn().removeHeaders("*");
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE,
                r.getState() == org.apache.camel.health.HealthCheck.State.DOWN ? 503 : 200);
        e.getMessage().setBody(o.toString());
    }

    /** The publisher's queue of requests to look at the outbox: one waiting request at most. */
    static final String PUBLISH = "seda:ponte-event-publisher?size=1&discardWhenFull=true";

    private volatile ProducerTemplate wake;

    /**
     * Asks the publisher to look at the outbox now (after a commit that appended events), so that a single change
     * reaches {@code ponte.events} in milliseconds instead of at the publisher's next look; never blocks.
     */
    void publishSoon() {
        ProducerTemplate p = wake;
        if (p != null) { // null only before the routes are configured, when nothing is published yet either
            p.sendBody(PUBLISH, null);
        }
    }

    /** Writes the report of an import file once all its rows went through (called after each inbound message). */
    static void writeReportIfComplete(Database db, Object message) throws Exception {
        if (message instanceof InboundChunk chunk && chunk.reportDir() != null && chunk.runId() != null) {
            ImportReport.writeIfComplete(db, chunk.runId(), chunk.file(), Path.of(chunk.reportDir()));
        }
    }

    /** A message the broker gave up on: keep it, byte for byte, as a RETRIES_EXHAUSTED dead letter. */
    private void recordExhausted(Exchange e) {
        String origin = String.valueOf(e.getIn().getHeader("_AMQ_ORIG_ADDRESS"));
        // an event (address ponte.events) is the dead letter of its subscriber: the flow of the queue
        // ponte.flow.<name> (as its route id, flow-<name>), or an external subscriber's queue
        String queue = String.valueOf(e.getIn().getHeader("_AMQ_ORIG_QUEUE"));
        String connector = !Queues.EVENTS.equals(origin) ? Queues.instanceOf(origin)
                : queue.startsWith("ponte.flow.") ? "flow-" + queue.substring("ponte.flow.".length()) : queue;
        String body = e.getIn().getBody(String.class);
        String reason = "the broker gave up after " + (maxAttempts > 0 ? maxAttempts + " delivery"
                : "its maximum number of") + " attempts on " + origin;
        dev.ponte.spi.OutboundCommand command = Queues.EVENTS.equals(origin) ? null : command(body);
        db.inTransaction(c -> {
            // a message to a patient goes on to the next channel instead (recorded on the message)
            if (command != null && outcomes.concerns(command)
                    && outcomes.refused(c, connector, command, reason, Instant.now())) {
                return null;
            }
            return DeadLetters.addMessage(c, connector, DeadLetter.ErrorClass.RETRIES_EXHAUSTED,
                    Rules.RETRIES_EXHAUSTED, reason, body, businessKey(body),
                    e.getIn().getHeader("JMSCorrelationID", String.class), Instant.now());
        });
    }

    /** The outbound command a message holds, or {@code null} when it holds none. */
    private static dev.ponte.spi.OutboundCommand command(String body) {
        try {
            return Json.MAPPER.readValue(body == null ? "" : body, dev.ponte.spi.OutboundCommand.class);
        } catch (java.io.IOException | RuntimeException notACommand) {
            return null;
        }
    }

    /** The business key of an outbound command, so its dead letter can be found by it; {@code null} otherwise. */
    private static String businessKey(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(body == null ? "" : body);
            return tree != null && tree.hasNonNull("businessKey") ? tree.get("businessKey").asText() : null;
        } catch (java.io.IOException | RuntimeException notACommand) {
            return null; // an inbound chunk or a message that is not JSON: no key, the payload is kept as is
        }
    }

    /**
     * Sends again the outbound commands an admin asked to replay ({@code bin/ponte dlq replay}) to their sink's queue,
     * with their record as it is now ({@code OutboundCommands.current}), then closes their dead letters. At least once: a crash in between sends again, and the sink skips a business key
     * it already delivered with the same content, so the remote sees it once.
     */
    private void replayRequested(ProducerTemplate producer) throws Exception {
        List<DeadLetter> requested = db.inTransaction(c -> DeadLetters.list(c, new DeadLetters.Filter(null, null, null,
                DeadLetter.Status.REPLAY_REQUESTED)));
        for (DeadLetter d : requested) {
            if (!sinks.containsKey(d.connector())) {
                continue; // not a sink of this hub (its configuration changed): stays requested, visible in the list
            }
            producer.sendBodyAndHeader(Queues.jms(Queues.outbound(d.connector())), current(d.payload()),
                    "JMSCorrelationID", d.correlationId());
            db.inTransaction(c -> {
                DeadLetters.replayed(c, d.id(), d.resolution() + "; sent again to " + Queues.outbound(d.connector()));
                AuditLog.append(c, "hub", "dlq.replay", "dead-letter/" + d.id(), "sent again to "
                        + Queues.outbound(d.connector()), null, Instant.now());
                return null;
            });
        }
    }

    /**
     * The replayed command with its record as the store holds it now (the fix an admin made at the source reaches
     * the sink); a payload that is not a command is sent as it is (the sink driver dead-letters it again).
     */
    private String current(String payload) throws Exception {
        dev.ponte.spi.OutboundCommand command;
        try {
            command = dev.ponte.json.Json.MAPPER.readValue(payload, dev.ponte.spi.OutboundCommand.class);
        } catch (java.io.IOException | RuntimeException notACommand) {
            return payload;
        }
        dev.ponte.spi.OutboundCommand now = db.inTransaction(c -> dev.ponte.outbound.OutboundCommands.current(c,
                command));
        return now == command ? payload : dev.ponte.json.Json.MAPPER.writeValueAsString(now);
    }

    /**
     * Drains the outbox: each event to {@code ponte.events} (the flow {@code sink-commands} turns them into commands
     * for the sinks, from its own durable subscription: {@code dev.ponte.flows.SinkCommandsFlow}). A batch of up to 500 events is sent in one JMS transaction (one broker round trip and one journal sync
     * per batch instead of per message), then marked published. At least once: a crash between the commit and the
     * marking resends the batch, and subscribers deduplicate by event id, sinks by business key. Once the hub is
     * stopping (the route's consumer is being stopped) it returns after the current batch, so a stop waits for one
     * batch, not for the whole outbox.
     */
    private void publishEvents(Exchange exchange) throws Exception {
        List<CanonicalEvent> batch;
        do {
            batch = db.read(c -> EventOutbox.unpublished(c, 500)); // a read: the import's writes go on meanwhile
            if (batch.isEmpty()) {
                return;
            }
            try (jakarta.jms.Connection connection = broker.createConnection();
                 jakarta.jms.Session session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED)) {
                jakarta.jms.MessageProducer events = session.createProducer(session.createTopic(Queues.EVENTS));
                for (CanonicalEvent event : batch) {
                    jakarta.jms.TextMessage m = session.createTextMessage(event.toJson());
                    dev.ponte.broker.CloudEventsMessages.structured(m, event);
                    // one group per record: where several hubs consume a subscription, a record's events go to
                    // one of them at a time, in order (Artemis message groups)
                    m.setStringProperty("JMSXGroupID", event.subject());
                    events.send(m);
                }
                session.commit();
            }
            List<String> ids = batch.stream().map(CanonicalEvent::id).toList();
            db.inTransaction(c -> {
                EventOutbox.markPublished(c, ids);
                return null;
            });
        } while (batch.size() == 500 && !stopping(exchange));
    }

    /** Published events kept per look of the retention: short transactions, so the import's writes go on between. */
    static final int PURGE_BATCH = 5_000;

    /**
     * Deletes the published events older than the retention, a batch per transaction, and logs how many. Unpublished
     * events are never deleted. Returns after the current batch once the hub is stopping.
     */
    private void purgeOldEvents(Exchange exchange) {
        Instant before = Instant.now().minus(java.time.Duration.ofDays(retentionDays));
        long deleted = 0;
        int batch;
        do {
            batch = db.inTransaction(c -> EventOutbox.purgePublished(c, before, PURGE_BATCH));
            deleted += batch;
        } while (batch == PURGE_BATCH && !stopping(exchange));
        if (deleted > 0) {
            log.info("event retention: {} published event(s) older than {} days deleted (ponte.events.retention-days)",
                    deleted, retentionDays);
        }
    }

    /** Whether the consumer of the exchange's route is being stopped or suspended (a graceful stop waits for it). */
    private static boolean stopping(Exchange exchange) {
        org.apache.camel.Route route = exchange.getContext().getRoute(exchange.getFromRouteId());
        return route == null || !(route.getConsumer() instanceof org.apache.camel.support.service.ServiceSupport c)
                || c.isStoppingOrStopped() || c.isSuspendingOrSuspended();
    }
}
