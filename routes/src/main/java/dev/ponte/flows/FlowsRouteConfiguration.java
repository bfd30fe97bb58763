package dev.ponte.flows;

import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.validation.Rules;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The error handling of every flow, declared once (flows name it with {@code routeConfigurationId(ID)}). Flows
 * consume their subscription transacted, so:
 * <ul>
 *   <li>a message that is not a canonical event ({@link UnreadableEventException}) is kept, as received, as an
 *       INTERNAL dead letter (rule {@value Rules#INTERNAL_ERROR}) of the flow, and acknowledged: retrying cannot
 *       make it readable, and the events behind it keep flowing;</li>
 *   <li>any other failure (the database unreachable, the broker refusing a send) is rolled back whole, the commands
 *       sent so far included, and logged in one line: the broker redelivers the event with the backoff of the
 *       address settings of {@code ponte.events} and, after the last attempt, moves it to {@code ponte.dlq}, where
 *       the dead-letter drain records it as RETRIES_EXHAUSTED. No redelivery inside Camel: one attempt is one
 *       transaction.</li>
 * </ul>
 */
public final class FlowsRouteConfiguration extends RouteConfigurationBuilder {

    /** The id flows refer to. */
    public static final String ID = "ponte-flows";
    private static final Logger LOG = LoggerFactory.getLogger(FlowsRouteConfiguration.class);

    private final Database db;
    private final Clock clock;

    public FlowsRouteConfiguration(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(UnreadableEventException.class)
                    .handled(true)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .process(this::deadLetter)
                .end()
                .onException(Exception.class)
                    .handled(false)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .process(FlowsRouteConfiguration::logRollback)
                .end();
    }

    private static void logRollback(Exchange e) {
        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("{}: event {} failed (delivery {}), rolled back for the broker to redeliver: {}: {}",
                e.getFromRouteId(), e.getIn().getHeader("cloudEvents_id"), e.getIn().getHeader("JMSXDeliveryCount"),
                cause == null ? "?" : cause.getClass().getSimpleName(), cause == null ? "" : cause.getMessage());
    }

    private void deadLetter(Exchange e) {
        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String flow = e.getFromRouteId();
        LOG.error("{}: {}; kept as an INTERNAL dead letter", flow, cause == null ? "not a canonical event"
                : cause.getMessage());
        db.inTransaction(c -> DeadLetters.addMessage(c, flow, DeadLetter.ErrorClass.INTERNAL, Rules.INTERNAL_ERROR,
                cause == null ? "not a canonical event" : cause.getMessage(), e.getIn().getBody(String.class), null,
                e.getIn().getHeader("JMSCorrelationID", String.class), clock.instant()));
    }
}
