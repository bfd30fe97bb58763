package dev.ponte.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ponte.broker.Queues;
import dev.ponte.json.Json;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
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
 *   <li>{@link RetriableDeliveryException} (and {@link InterruptedException}, the hub stopping): rolled back, so the
 *       broker redelivers with backoff and finally moves the command to {@code ponte.dlq} (recorded as
 *       RETRIES_EXHAUSTED);</li>
 *   <li>{@link PermanentDeliveryException}: a PERMANENT_REMOTE dead letter holding the command byte for byte, with
 *       the sink's reason; acknowledged, no retry;</li>
 *   <li>any other exception from the sink is a bug: an INTERNAL dead letter at once (rule {@code internal-error})
 *       holding the command byte for byte, with the exception's class and first {@value #FRAMES} stack frames (not
 *       its message, which may quote personal data), logged at ERROR; acknowledged, no retry;</li>
 *   <li>a message that is not an outbound command is a local problem, not a remote one: an INTERNAL dead letter
 *       (rule {@code unreadable-command}) holding the message as received;</li>
 *   <li>success: the effect is recorded under its business key in the same transaction as the acknowledgement.</li>
 * </ol>
 * A failure of the hub's own store around the delivery (the database unreachable) is rolled back and redelivered.
 */
public final class SinkRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SinkRoutes.class);
    /** Stack frames kept in the detail of an INTERNAL dead letter. */
    static final int FRAMES = 5;

    private final String instance;
    private final Sink sink;
    private final Database db;
    private final Clock clock;
    private final DeliveryOutcomes outcomes;

    public SinkRoutes(String instance, Sink sink, Database db, Clock clock) {
        this(instance, sink, db, clock, DeliveryOutcomes.NONE);
    }

    /** @param outcomes what else happens on a delivery or a refusal, in the same transaction */
    public SinkRoutes(String instance, Sink sink, Database db, Clock clock, DeliveryOutcomes outcomes) {
        this.instance = instance;
        this.sink = sink;
        this.db = db;
        this.clock = clock;
        this.outcomes = outcomes;
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
            String reason = "the message on " + Queues.outbound(instance) + " is not an outbound command ("
                    + e.getClass().getSimpleName() + "); nothing was sent to the remote";
            LOG.error("{}: {}; kept as an INTERNAL dead letter", instance, reason);
            deadLetter(null, body, DeadLetter.ErrorClass.INTERNAL, Rules.UNREADABLE_COMMAND, reason);
            return;
        }
        String hash = OutboundCommands.contentHash(command);
        boolean done = db.inTransaction(c -> OutboundEffects.get(c, command.businessKey())
                .filter(e -> e.contentHash().equals(hash)).isPresent());
        if (done) {
            LOG.debug("{}: {} already delivered with this content; nothing sent", instance, command.businessKey());
            return;
        }
        boolean concerned = outcomes.concerns(command);
        if (concerned && !db.inTransaction(c -> outcomes.stillWanted(c, instance, command, clock.instant()))) {
            LOG.info("{}: {} no longer wanted now (cancelled, moved or deferred meanwhile); nothing sent", instance,
                    command.businessKey());
            return;
        }
        Sink.Delivery delivery;
        try {
            delivery = sink.deliver(command);
        } catch (RetriableDeliveryException e) {
            LOG.warn("{}: delivery of {} failed (attempt {}); the broker will retry{}: {}", instance,
                    command.businessKey(), attempt == null ? 1 : attempt, e.retryAfter() == null ? ""
                            : " (the remote asked to wait " + e.retryAfter().toSeconds() + " s)", e.getMessage());
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the hub is stopping: roll back, the command is delivered later
            LOG.info("{}: delivery of {} interrupted; it stays on {}", instance, command.businessKey(),
                    Queues.outbound(instance));
            throw e;
        } catch (PermanentDeliveryException e) {
            if (concerned && db.inTransaction(c -> outcomes.refused(c, instance, command, e.getMessage(),
                    clock.instant()))) {
                LOG.info("{}: {} refused for good, handed on: {}", instance, command.businessKey(), e.getMessage());
                return;
            }
            LOG.warn("{}: {} refused for good, kept as a dead letter: {}", instance, command.businessKey(),
                    e.getMessage());
            deadLetter(command, body, DeadLetter.ErrorClass.PERMANENT_REMOTE, Rules.REMOTE_REJECTED, e.getMessage());
            return;
        } catch (Exception e) { // also RuntimeException and Error's cousins thrown as Exception: a bug, not retried
            String reason = "the sink failed with " + describe(e) + "; not retried: fix the connector, then replay "
                    + "the dead letter";
            LOG.error("{}: {} kept as an INTERNAL dead letter: {}", instance, command.businessKey(), reason);
            deadLetter(command, body, DeadLetter.ErrorClass.INTERNAL, Rules.INTERNAL_ERROR, reason);
            // a message to a patient does not wait for the fix: it goes on to the next channel meanwhile
            if (concerned) {
                db.inTransaction(c -> outcomes.refused(c, instance, command, "the channel's sink failed ("
                        + e.getClass().getSimpleName() + "); see the dead letter", clock.instant()));
            }
            return;
        }
        db.inTransaction(c -> {
            OutboundEffects.record(c, new OutboundEffects.Effect(command.businessKey(), instance, hash,
                    delivery == null ? null : delivery.externalId(), delivery == null ? null : delivery.detail(),
                    command.id(), clock.instant()));
            if (concerned) {
                outcomes.delivered(c, instance, command, delivery, clock.instant());
            }
            return null;
        });
        LOG.info("{}: {} {}", instance, command.businessKey(), delivery == null ? "delivered" : delivery.detail());
    }

    private void deadLetter(OutboundCommand command, String body, DeadLetter.ErrorClass errorClass, String rule,
                            String reason) {
        db.inTransaction(c -> DeadLetters.addMessage(c, instance, errorClass, rule, reason, body,
                command == null ? null : command.businessKey(), command == null ? null : command.correlationId(),
                clock.instant()));
    }

    /**
     * The exception's class and its first {@value #FRAMES} stack frames, then the classes of its causes; never its
     * message, which may quote the data being delivered.
     */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getName());
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
            out.append(i == 0 ? " at " : " < ").append(frames[i]);
        }
        if (frames.length > FRAMES) {
            out.append(" < ...");
        }
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable cause = e.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            out.append("; caused by ").append(cause.getClass().getName());
            if (cause.getStackTrace().length > 0) {
                out.append(" at ").append(cause.getStackTrace()[0]);
            }
        }
        return out.toString();
    }
}
