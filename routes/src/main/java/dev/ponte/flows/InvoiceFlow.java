package dev.ponte.flows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.broker.Queues;
import dev.ponte.fiscal.Invoicing;
import dev.ponte.json.Json;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import org.apache.camel.builder.RouteBuilder;

import java.util.Optional;

/**
 * The invoice flow: charge and appointment events turn charges into Invoice records when the fiscal trigger fires
 * ({@link Invoicing#chargeChanged}, {@link Invoicing#appointmentChanged}). It consumes {@code ponte.events} through
 * its own durable subscription {@value Queues#INVOICES}, transacted, one consumer, with the flows' error handling
 * ({@link FlowsRouteConfiguration}). Each event is applied in one database transaction, reading the record as the
 * store holds it now; the Invoice, its number, its event and the one-per-charge row commit together, so a redelivered
 * event, a restart or a second import never makes a second document, and a rolled-back attempt gives its number
 * back. The Invoice's own event reaches the sinks through the flow sink-commands. With invoicing off (no issuer CNPJ,
 * or {@code ponte.fiscal.trigger=off}) the hub does not run the flow and removes its subscription.
 */
public final class InvoiceFlow extends RouteBuilder {

    /** The route id; a queue consumer, stopped with the others. */
    public static final String ROUTE_ID = "flow-invoices";

    private final Database db;
    private final Invoicing invoicing;

    public InvoiceFlow(Database db, Invoicing invoicing) {
        this.db = db;
        this.invoicing = invoicing;
    }

    @Override
    public void configure() {
        from(Queues.transactedConsumer(Queues.subscription(Queues.EVENTS, Queues.INVOICES)))
                .routeId(ROUTE_ID)
                .routeConfigurationId(FlowsRouteConfiguration.ID)
                .process(e -> e.getIn().setBody(SinkCommandsFlow.read(e.getIn().getBody(String.class),
                        Queues.INVOICES)))
                .filter(e -> invoicing.enabled() && entity(e.getIn().getBody(CanonicalEvent.class)).isPresent())
                    .process(e -> apply(e.getIn().getBody(CanonicalEvent.class)))
                .end();
    }

    private static Optional<String> entity(CanonicalEvent event) {
        return OutboundCommands.entityOf(event.type()).filter(t -> t.equals("Charge") || t.equals("Appointment"));
    }

    private void apply(CanonicalEvent event) throws Exception {
        JsonNode data = Json.MAPPER.readTree(event.data());
        String entity = entity(event).orElseThrow();
        Invoicing.Cause cause = new Invoicing.Cause(event.id(), event.correlationId());
        db.inTransaction(c -> {
            JsonNode record = CurrentRecord.of(c, entity, event.subject(), data);
            if (entity.equals("Charge")) {
                return invoicing.chargeChanged(c, event.subject(), record, cause);
            }
            return invoicing.appointmentChanged(c, event.subject(), record, cause);
        });
    }
}
