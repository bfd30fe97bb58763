package dev.ponte.flows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.broker.Queues;
import dev.ponte.clinic.ClinicFlows;
import dev.ponte.json.Json;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import org.apache.camel.builder.RouteBuilder;

import java.util.Optional;

/**
 * The clinic flows: appointment, package-enrollment and payment events drive the booking checks (the review list),
 * package sessions (deduct, release, never below zero) and billing (attended → charges, payments → paid), all
 * decided by {@link ClinicFlows}. It consumes {@code ponte.events} through its own durable subscription
 * {@value Queues#CLINIC}, transacted, one consumer, with the flows' error handling ({@link FlowsRouteConfiguration}).
 * Each event is applied in one database transaction to the record as the store holds it now; the charges and
 * balances it writes reach sinks and subscribers as their own events. A redelivered event changes nothing.
 */
public final class ClinicFlow extends RouteBuilder {

    /** The route id; a queue consumer, stopped with the others. */
    public static final String ROUTE_ID = "flow-clinic";

    private final Database db;
    private final ClinicFlows flows;

    public ClinicFlow(Database db, ClinicFlows flows) {
        this.db = db;
        this.flows = flows;
    }

    @Override
    public void configure() {
        from(Queues.transactedConsumer(Queues.subscription(Queues.EVENTS, Queues.CLINIC)))
                .routeId(ROUTE_ID)
                .routeConfigurationId(FlowsRouteConfiguration.ID)
                .process(e -> e.getIn().setBody(SinkCommandsFlow.read(e.getIn().getBody(String.class),
                        Queues.CLINIC)))
                .filter(e -> entity(e.getIn().getBody(CanonicalEvent.class)).isPresent())
                    .process(e -> apply(e.getIn().getBody(CanonicalEvent.class)))
                .end();
    }

    private static Optional<String> entity(CanonicalEvent event) {
        return OutboundCommands.entityOf(event.type()).filter(ClinicFlows.ENTITIES::contains);
    }

    private void apply(CanonicalEvent event) throws Exception {
        JsonNode data = Json.MAPPER.readTree(event.data());
        String entity = entity(event).orElseThrow();
        ClinicFlows.Cause cause = new ClinicFlows.Cause(event.id(), event.correlationId());
        db.inTransaction(c -> flows.changed(c, entity, event.subject(), CurrentRecord.of(c, entity,
                event.subject(), data), cause));
    }
}
