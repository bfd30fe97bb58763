package dev.ponte.flows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.broker.Queues;
import dev.ponte.json.Json;
import dev.ponte.messaging.Messaging;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import org.apache.camel.builder.RouteBuilder;

import java.util.Optional;

/**
 * The reminder flow: appointment events schedule, move and cancel reminders (and, when a patient's reply made the
 * change, schedule the answer); an invoice that becomes AUTHORIZED schedules the patient's receipt
 * ({@link Messaging#invoiceChanged}); patient events cancel the pending messages whose consent was revoked ({@link Messaging#appointmentChanged}, {@link Messaging#patientChanged}). It
 * consumes {@code ponte.events} through its own durable subscription {@value Queues#REMINDERS}, transacted, one
 * consumer, with the flows' error handling ({@link FlowsRouteConfiguration}). Each event is applied in one database
 * transaction, and applying it twice changes nothing (business keys {@code reminder:<appointment>:<lead>}), so a
 * redelivered event, a restart or a second import never schedules a reminder twice. With messaging off (no
 * connector serves a channel) the hub does not run the flow and removes its subscription.
 */
public final class ReminderFlow extends RouteBuilder {

    /** The route id; a queue consumer, stopped with the others. */
    public static final String ROUTE_ID = "flow-reminders";

    private final Database db;
    private final Messaging messaging;

    public ReminderFlow(Database db, Messaging messaging) {
        this.db = db;
        this.messaging = messaging;
    }

    @Override
    public void configure() {
        from(Queues.transactedConsumer(Queues.subscription(Queues.EVENTS, Queues.REMINDERS)))
                .routeId(ROUTE_ID)
                .routeConfigurationId(FlowsRouteConfiguration.ID)
                .process(e -> e.getIn().setBody(SinkCommandsFlow.read(e.getIn().getBody(String.class),
                        Queues.REMINDERS)))
                .filter(e -> messaging.enabled() && entity(e.getIn().getBody(CanonicalEvent.class)).isPresent())
                    .process(e -> apply(e.getIn().getBody(CanonicalEvent.class)))
                .end();
    }

    private static Optional<String> entity(CanonicalEvent event) {
        return dev.ponte.outbound.OutboundCommands.entityOf(event.type())
                .filter(t -> t.equals("Appointment") || t.equals("Patient") || t.equals("Invoice"));
    }

    private void apply(CanonicalEvent event) throws Exception {
        JsonNode data = Json.MAPPER.readTree(event.data());
        String entity = entity(event).orElseThrow();
        db.inTransaction(c -> {
            if (entity.equals("Invoice")) {
                return messaging.invoiceChanged(c, event.subject(), CurrentRecord.of(c, "Invoice", event.subject(),
                        data));
            }
            if (entity.equals("Patient")) {
                return messaging.patientChanged(c, event.subject(), CurrentRecord.of(c, "Patient", event.subject(),
                        data));
            }
            JsonNode appointment = CurrentRecord.of(c, "Appointment", event.subject(), data);
            // a patient's reply changed it: the answer goes out now that the change took
            messaging.replyApplied(c, event.correlationId(), event.subject(), appointment);
            return messaging.appointmentChanged(c, event.subject(), appointment);
        });
    }
}
