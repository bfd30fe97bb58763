package dev.ponte.flows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.broker.Queues;
import dev.ponte.json.Json;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first flow: canonical events become commands for the sink instances. It consumes {@code ponte.events} through
 * its own durable subscription, the multicast queue {@value Queues#SINK_COMMANDS} (events published while the hub is
 * down, or during a one-shot import, wait there), transacted and with one consumer (the commands of a record keep
 * the order of its events):
 * <ol>
 *   <li>the message is read as a canonical event (one that is not becomes a dead letter, see
 *       {@link FlowsRouteConfiguration});</li>
 *   <li>filter: only record changes ({@code *.upserted}, {@code *.status-changed}, {@code *.rescheduled});</li>
 *   <li>split over the commands, one per sink instance that writes the event's entity and is not where the change
 *       came from ({@link OutboundCommands#forSink});</li>
 *   <li>recipient list: each command to its sink's queue {@code ponte.out.<instance>}.</li>
 * </ol>
 * The sends join the consumer's JMS transaction (camel-jms {@code transacted=true}: the producer uses the session the
 * listener container bound to the thread), so the event is acknowledged in the same commit that makes its commands
 * visible; a failure or a crash before the commit leaves neither, and the event is redelivered.
 * <p>
 * No idempotent consumer on the event id: the events are published at least once (a crash between the broker's
 * commit and the outbox's marking publishes a batch again), so a repeated event gives the same commands again, and
 * the sink acknowledges without a call a command whose business key it already delivered with the same content
 * ({@code SinkRoutes}, the {@code outbound_effect} table). That check is the idempotency, for repeated events and
 * replays alike; a repository of event ids would be a second one, with a write per event.
 */
public final class SinkCommandsFlow extends RouteBuilder {

    /** The route id; a queue consumer, stopped with the others ({@code OrderedStop}). */
    public static final String ROUTE_ID = "flow-sink-commands";
    private static final String RECIPIENT = "ponteRecipient";

    private final Database db;
    private final Map<String, Set<String>> sinks;

    /** @param sinks entities each sink instance writes, by instance; empty: the events are consumed, no command */
    public SinkCommandsFlow(Database db, Map<String, Set<String>> sinks) {
        this.db = db;
        this.sinks = Map.copyOf(sinks);
    }

    @Override
    public void configure() {
        // a transacted consumer accepts messages while stopping: an event received while the hub stops is processed
        // and committed, not rolled back (which would count a delivery attempt)
        from(Queues.transactedConsumer(Queues.subscription(Queues.EVENTS, Queues.SINK_COMMANDS)))
                .routeId(ROUTE_ID)
                .routeConfigurationId(FlowsRouteConfiguration.ID)
                .process(e -> e.getIn().setBody(read(e.getIn().getBody(String.class))))
                .filter(e -> OutboundCommands.entityOf(e.getIn().getBody(CanonicalEvent.class).type()).isPresent())
                    .process(e -> e.getIn().setBody(commands(e.getIn().getBody(CanonicalEvent.class))))
                    .split(body())
                        .process(SinkCommandsFlow::asMessage)
                        .recipientList(exchangeProperty(RECIPIENT))
                    .end()
                .end();
    }

    /** A command and the sink instance it is for. */
    record Addressed(String instance, OutboundCommand command) {
    }

    /**
     * The commands of a record change, one per sink instance that takes it, in one database transaction; none, and
     * no transaction, when no sink writes the event's entity (an import's events on a hub without sinks cost one
     * read of the message each, nothing more).
     */
    private List<Addressed> commands(CanonicalEvent event) {
        Optional<String> entity = OutboundCommands.entityOf(event.type());
        Map<String, Set<String>> takers = new java.util.LinkedHashMap<>();
        sinks.forEach((instance, writes) -> {
            if (entity.isPresent() && writes.contains(entity.get())) {
                takers.put(instance, writes);
            }
        });
        if (takers.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(c -> {
            List<Addressed> out = new ArrayList<>();
            for (Map.Entry<String, Set<String>> sink : takers.entrySet()) {
                Optional<OutboundCommand> command = OutboundCommands.forSink(c, event, sink.getKey(), sink.getValue());
                command.ifPresent(value -> out.add(new Addressed(sink.getKey(), value)));
            }
            return out;
        });
    }

    /**
     * The command as the message for its sink: its JSON, the event's correlation id, and none of the event's
     * headers (its CloudEvents properties are not the command's).
     */
    private static void asMessage(Exchange e) throws Exception {
        Addressed a = e.getIn().getBody(Addressed.class);
        e.getIn().removeHeaders("*");
        e.getIn().setHeader("JMSCorrelationID", a.command().correlationId());
        // a record's commands to one consumer at a time, in order, where several hubs take the sink's queue
        e.getIn().setHeader("JMSXGroupID", a.command().businessKey());
        e.getIn().setBody(Json.MAPPER.writeValueAsString(a.command()));
        e.setProperty(RECIPIENT, Queues.jms(Queues.outbound(a.instance())));
    }

    /** The canonical event of a structured-mode CloudEvents message ({@link CanonicalEvent#toJson}). */
    static CanonicalEvent read(String body) throws UnreadableEventException {
        return read(body, Queues.SINK_COMMANDS);
    }

    /** Like {@link #read(String)}, for a message of the subscription {@code queue}. */
    static CanonicalEvent read(String body, String queue) throws UnreadableEventException {
        try {
            JsonNode n = Json.MAPPER.readTree(body == null ? "" : body);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (String required : List.of("id", "source", "type", "subject", "time", "data")) {
                if (!n.hasNonNull(required)) {
                    throw new IllegalArgumentException("no " + required);
                }
            }
            return new CanonicalEvent(n.get("id").asText(), n.get("source").asText(), n.get("type").asText(),
                    n.get("subject").asText(), Instant.parse(n.get("time").asText()), text(n, "clinic"),
                    text(n, "mapping"), text(n, "correlationid"), text(n, "causationid"), n.get("data").toString());
        } catch (java.io.IOException | RuntimeException e) {
            throw new UnreadableEventException("the message on " + Queues.subscription(Queues.EVENTS,
                    queue) + " is not a canonical event (" + e.getClass().getSimpleName()
                    + (e instanceof IllegalArgumentException ? ": " + e.getMessage() : "") + "); no command was sent",
                    e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
