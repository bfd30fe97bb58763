package dev.ponte.broker;

import java.nio.file.Path;

/**
 * How the embedded broker keeps messages and redelivers them.
 *
 * @param dir                  journal, bindings, paging and large messages live here
 * @param tcpAcceptor          extra acceptor URL such as {@code tcp://127.0.0.1:61616}, or {@code null} for in-VM only
 * @param maxDeliveryAttempts  attempts before a message moves to {@link Queues#DLQ}
 * @param redeliveryDelay      first redelivery delay, milliseconds
 * @param redeliveryMultiplier factor applied to the delay after each attempt
 * @param maxRedeliveryDelay   upper bound of the delay, milliseconds
 */
public record BrokerSettings(Path dir, String tcpAcceptor, int maxDeliveryAttempts, long redeliveryDelay,
                             double redeliveryMultiplier, long maxRedeliveryDelay) {
}
