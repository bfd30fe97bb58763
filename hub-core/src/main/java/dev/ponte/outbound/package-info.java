/**
 * The outbound side of the hub: canonical events become {@link dev.ponte.spi.OutboundCommand}s for the sink
 * instances that write their entity ({@link dev.ponte.outbound.OutboundCommands}), and each sink instance is driven
 * from its durable queue {@code ponte.out.<instance>} by {@link dev.ponte.outbound.SinkRoutes}, which owns
 * idempotency by business key, the transient/permanent split and dead letters.
 */
package dev.ponte.outbound;
