package dev.ponte.connectors.sms;

import dev.ponte.spi.Health;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.Sink;
import org.apache.camel.RoutesBuilder;

/**
 * One way of sending SMS ({@code provider} option): {@code smpp}, {@code twilio} or {@code zenvia}. The instance
 * ({@link SmsInstance}) reads the command and checks the recipient; the provider sends, and reports what it hears
 * back (receipts, statuses, patients' replies) to the hub's {@link dev.ponte.spi.MessageEvents}.
 *
 * <p>{@link #send} follows the {@link Sink} error contract: a number the provider refuses for good is a
 * {@link dev.ponte.spi.PermanentDeliveryException} (the hub then tries the patient's next channel), a provider that
 * is away is a {@link dev.ponte.spi.RetriableDeliveryException}. In sandbox mode a provider builds the same request
 * and hands it to the sandbox recorder instead of sending it. {@link Sink.Delivery#parts()} is the number of
 * segments the message was billed as.
 */
interface SmsProvider extends AutoCloseable {

    /** Sends one message; {@code message} is {@code command}'s, recipient already checked E.164. */
    Sink.Delivery send(OutboundCommand command, OutboundMessage message) throws Exception;

    /** Whether the provider is reachable and accepts the credentials; never throws. */
    Health health();

    /** Routes the provider needs (none by default). */
    default RoutesBuilder routes() {
        return null;
    }

    @Override
    default void close() {
    }
}
