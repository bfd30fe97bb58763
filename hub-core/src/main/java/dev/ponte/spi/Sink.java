package dev.ponte.spi;

/**
 * The sink side of a connector: performs one {@link OutboundCommand} on the external system.
 *
 * <p>Contract. The hub calls {@link #deliver} from a transacted consumer of {@code ponte.out.<instance>}, one command
 * at a time per instance, in order. A command whose business key and content were already delivered is not passed
 * again; still, after a crash between the external effect and the hub's commit the same command can arrive twice, so
 * an implementation should make the effect idempotent on {@link OutboundCommand#businessKey()} where the remote
 * allows it (a client-chosen id, an idempotency key).
 *
 * <ul>
 *   <li>return normally: the effect happened (or already existed);</li>
 *   <li>throw {@link PermanentDeliveryException}: no retry can fix it (a 4xx such as invalid data); the hub records a
 *       PERMANENT_REMOTE dead letter with the message as reason;</li>
 *   <li>throw anything else: transient (timeout, 5xx, 429, connection refused); the broker redelivers with
 *       exponential backoff and, after the last attempt, the command becomes a RETRIES_EXHAUSTED dead letter.</li>
 * </ul>
 * In sandbox mode the sink must build exactly the same request and hand it to
 * {@link ConnectorContext#sandbox()} instead of sending it.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sink {

    /**
     * @param command the command; never {@code null}; must not be mutated
     * @return what was done, recorded with the business key (an external id, a short description)
     * @throws PermanentDeliveryException when the remote refuses the command for good
     * @throws Exception                  for transient failures, which are retried
     */
    Delivery deliver(OutboundCommand command) throws Exception;

    /**
     * What a delivery did.
     *
     * @param externalId the id the external system gave the effect (event id, message id), or {@code null}
     * @param detail     a short description, without personal data: "event inserted", "already deleted"
     */
    record Delivery(String externalId, String detail) {
    }
}
