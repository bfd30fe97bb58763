package dev.ponte.spi;

import org.apache.camel.RoutesBuilder;

/**
 * A connector type. Implementations are stateless factories found with {@link java.util.ServiceLoader}; the hub
 * calls {@link #routes} once per configured instance, after the whole configuration validated.
 *
 * <p>A <b>source</b> connector reads its system and sends {@code InboundChunk}s (JSON) to
 * {@link ConnectorContext#inboundUri()}; mapping, validation, storage, events and dead letters are the hub's. A
 * <b>sink</b> connector consumes commands from {@code ponte.out.<instance>} and classifies its errors: transient ones
 * are thrown (the broker redelivers with backoff), permanent ones are reported as dead letters.
 *
 * @since 0.1
 */
public interface Connector {

    /** What this connector is and which options it takes. Must not return {@code null}; called often. */
    ConnectorDescriptor descriptor();

    /**
     * The Camel routes of one instance. Route ids must start with the instance name.
     *
     * @param context the instance's configuration and the hub services it may use; never {@code null}
     */
    RoutesBuilder routes(ConnectorContext context);
}
