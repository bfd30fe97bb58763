package dev.ponte.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ponte.broker.Queues;
import dev.ponte.json.Json;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.OutboundEffects;
import dev.ponte.validation.Rules;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Drives one sink instance from {@code ponte.out.<instance>} (transacted, one consumer, in order):
 * <ol>
 *   <li>a command whose business key was already delivered with the same content is acknowledged without a call;</li>
 *   <li>{@link PermanentDeliveryException}: a PERMANENT_REMOTE dead letter holding the command byte for byte, with
 *       the sink's reason; acknowledged, no retry;</li>
 *   <li>any other exception: rolled back, so the broker redelivers with backoff and finally moves the command to
 *       {@code ponte.dlq} (recorded as RETRIES_EXHAUSTED);</li>
 *   <li>success: the effect is recorded under its business key in the same transaction as the acknowledgement.</li>
 * </ol>
 */
public final class SinkRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SinkRoutes.class);

    private final String instance;
    private final Sink sink;
    private final Database db;
    private final Clock clock;

    public SinkRoutes(String instance, Sink sink, Database db, Clock clock) {
        this.instance = instance;
        this.sink = sink;
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Queues.transactedConsumer(Queues.outbound(instance)))
                .routeId(instance + "-sink")
                .errorHandler(noErrorHandler()) // failures are logged here once; the broker redelivers
                .process(this::deliver);
    }

    private void deliver(Exchange exchange) throws Exception {
        String body = exchange.getIn().getBody(String.class);
        Integer attempt = exchange.getIn().getHeader("JMSXDeliveryCount", Integer.class);
        OutboundCommand command;
        try {
            command = Json.MAPPER.readValue(body, OutboundCommand.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            deadLetter(null, body, "the message on " + Queues.outbound(instance) + " is not an outbound command ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        String hash = OutboundCommands.contentHash(command);
        boolean done = db.inTransaction(c -> OutboundEffects.get(c, command.businessKey())
                .filter(e -> e.contentHash().equals(hash)).isPresent());
        if (done) {
            LOG.debug("{}: {} already delivered with this content; nothing sent", instance, command.businessKey());
            return;
        }
        Sink.Delivery delivery;
        try {
            delivery = sink.deliver(command);
        } catch (PermanentDeliveryException e) {
            LOG.warn("{}: {} refused for good, kept as a dead letter: {}", instance, command.businessKey(),
                    e.getMessage());
            deadLetter(command, body, e.getMessage());
            return;
        } catch (Exception e) {
            LOG.warn("{}: delivery of {} failed (attempt {}); the broker will retry: {}", instance,
                    command.businessKey(), attempt == null ? 1 : attempt, e.toString());
            throw e;
        }
        db.inTransaction(c -> {
            OutboundEffects.record(c, new OutboundEffects.Effect(command.businessKey(), instance, hash,
                    delivery == null ? null : delivery.externalId(), delivery == null ? null : delivery.detail(),
                    command.id(), clock.instant()));
            return null;
        });
        LOG.info("{}: {} {}", instance, command.businessKey(), delivery == null ? "delivered" : delivery.detail());
    }

    private void deadLetter(OutboundCommand command, String body, String reason) {
        db.inTransaction(c -> DeadLetters.addMessage(c, instance, DeadLetter.ErrorClass.PERMANENT_REMOTE,
                Rules.REMOTE_REJECTED, reason, body, command == null ? null : command.businessKey(),
                command == null ? null : command.correlationId(), clock.instant()));
    }
}
