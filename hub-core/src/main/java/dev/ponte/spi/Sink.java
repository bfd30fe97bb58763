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
 * <p>Error contract (like Kafka Connect's):
 * <ul>
 *   <li>return normally: the effect happened (or already existed);</li>
 *   <li>throw {@link RetriableDeliveryException}: it may pass by itself (timeout, reset or refused connection, 408,
 *       425, 429, 5xx); the broker redelivers with exponential backoff and, after the last attempt, the command
 *       becomes a RETRIES_EXHAUSTED dead letter. This is the <em>only</em> exception that is retried: wrap transient
 *       errors in it ({@link HttpStatusPolicy} does so for HTTP);</li>
 *   <li>throw {@link PermanentDeliveryException}: no retry can fix it (a 4xx such as invalid data); the hub records a
 *       PERMANENT_REMOTE dead letter at once with the message as reason;</li>
 *   <li>throw anything else (a {@code NullPointerException}, an unwrapped {@code IOException}): a bug, never retried
 *       silently; the hub records an INTERNAL dead letter at once (rule {@code internal-error}) with the exception's
 *       class and first stack frames, and logs it at ERROR. Once the bug is fixed, {@code bin/ponte dlq replay}
 *       delivers it. (An {@link InterruptedException}, the hub stopping, is rolled back and redelivered.)</li>
 * </ul>
 * In sandbox mode the sink must build exactly the same request and hand it to
 * {@link ConnectorContext#sandbox()} instead of sending it.
 *
 * @since 0.1 (error contract of {@link RetriableDeliveryException}: 0.2)
 */
@FunctionalInterface
public interface Sink {

    /**
     * @param command the command; never {@code null}; must not be mutated
     * @return what was done, recorded with the business key (an external id, a short description)
     * @throws RetriableDeliveryException for transient failures, which are retried with backoff
     * @throws PermanentDeliveryException when the remote refuses the command for good
     * @throws Exception                  anything else is a bug: an INTERNAL dead letter at once, no retry
     */
    Delivery deliver(OutboundCommand command) throws Exception;

    /**
     * What a delivery did.
     *
     * @param externalId the id the external system gave the effect (event id, message id), or {@code null}
     * @param detail     a short description, without personal data: "event inserted", "already deleted"
     * @param parts      how many billable parts the remote counted (the segments of an SMS), or {@code null} when
     *                   it does not count so (since 0.4)
     * @param assigned   canonical fields of the record the remote assigned in answer (glossary names, as text: an
     *                   authorized Invoice's {@code status}, {@code accessKey}, {@code issuedAt}); the hub writes them
     *                   to the record in the transaction that records the delivery, when the record's entity has a
     *                   hub part that takes them (Invoice). Empty for most sinks (since 0.5)
     */
    record Delivery(String externalId, String detail, Integer parts, java.util.Map<String, String> assigned) {

        public Delivery {
            assigned = assigned == null ? java.util.Map.of() : java.util.Map.copyOf(assigned);
        }

        /** A delivery that assigned no field. */
        public Delivery(String externalId, String detail, Integer parts) {
            this(externalId, detail, parts, java.util.Map.of());
        }

        /** A delivery without a part count. */
        public Delivery(String externalId, String detail) {
            this(externalId, detail, null);
        }
    }
}
