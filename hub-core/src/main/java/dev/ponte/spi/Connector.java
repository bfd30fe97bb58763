package dev.ponte.spi;

/**
 * A connector type. Implementations are stateless factories found with {@link java.util.ServiceLoader}; the hub
 * calls {@link #open} once per configured instance, after the whole configuration validated, and closes the instance
 * when it stops.
 *
 * <p>A <b>source</b> connector's routes read its system and send {@code InboundChunk}s or {@code ExternalChange}s
 * through {@link ConnectorContext#inbound()} ({@link InboundSender}); mapping, validation, storage, events and dead
 * letters are the hub's. A <b>sink</b> connector gives the hub a {@link Sink}; the hub feeds it the
 * {@link OutboundCommand}s of {@code ponte.out.<instance>} and owns retries, dead letters and idempotency by business key.
 *
 * @since 0.1
 */
public interface Connector {

    /** What this connector is and which options it takes. Must not return {@code null}; called often. */
    ConnectorDescriptor descriptor();

    /**
     * Opens one instance: builds its clients, nothing is sent or read yet.
     *
     * @param context the instance's configuration and the hub services it may use; never {@code null}
     * @return the instance; never {@code null}
     * @throws ConfigurationException when the configuration is valid field by field but unusable together (for
     *                                example an unreadable credentials file), naming the keys
     */
    ConnectorInstance open(ConnectorContext context);
}
