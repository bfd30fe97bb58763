package dev.ponte.spi;

/**
 * A connector type. Implementations are stateless factories found with {@link java.util.ServiceLoader}; the hub
 * checks every configured instance with its descriptor and {@link #validate} before anything starts, then calls
 * {@link #open} once per instance, and closes the instance when it stops.
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
     * Checks what the descriptor cannot declare, on a configuration whose options each passed their type, validator
     * and the descriptor's {@link ConfigRule}s: for example that a credentials file is readable and is of the right
     * kind. The hub calls it for every instance at start-up, before the broker or any route starts, and reports the
     * problems of all instances together. Must not connect to the remote system or start anything; reading local
     * files is fine. The default finds nothing.
     *
     * @param config the instance's configuration; never {@code null}
     * @return one problem per broken expectation, each starting with {@link ConnectorConfig#fullKey} of the option
     *         at fault and never holding a secret value; empty when none
     * @since 0.2
     */
    default java.util.List<String> validate(ConnectorConfig config) {
        return java.util.List.of();
    }

    /**
     * Opens one instance: builds its clients, nothing is sent or read yet.
     *
     * @param context the instance's configuration and the hub services it may use; never {@code null}
     * @return the instance; never {@code null}
     * @throws ConfigurationException when the configuration cannot be used after all (a check that needs more than
     *                                {@link #validate} may do), naming the keys
     */
    ConnectorInstance open(ConnectorContext context);
}
