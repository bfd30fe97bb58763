package dev.ponte.spi;

/**
 * How a source connector hands what it read to the hub: each call puts one message on the instance's durable queue
 * {@code ponte.in.<instance>}, typed by the header {@link #KIND_HEADER} ({@value #CHUNK} or {@value #CHANGE}), so
 * the hub never guesses the kind from the fields present. Once a call returns the message is on the broker; the hub
 * maps, validates, stores and dead-letters it. Implementations are thread safe and may be called from any route.
 *
 * @since 0.2
 */
public interface InboundSender {

    /** The message header naming the kind of an inbound message. */
    String KIND_HEADER = "PonteKind";
    /** {@link #KIND_HEADER} value of an {@link InboundChunk}. */
    String CHUNK = "chunk";
    /** {@link #KIND_HEADER} value of an {@link ExternalChange}. */
    String CHANGE = "change";

    /**
     * Sends a batch of raw records, correlated by its {@link InboundChunk#correlationId()}.
     *
     * @throws RuntimeException when the broker does not take it; nothing was sent, the caller may retry
     */
    void send(InboundChunk chunk);

    /**
     * Sends one change an external system made to a record the hub holds.
     *
     * @throws RuntimeException when the broker does not take it; nothing was sent, the caller may retry
     */
    void send(ExternalChange change);
}
