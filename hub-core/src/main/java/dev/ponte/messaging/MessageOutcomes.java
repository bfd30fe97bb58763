package dev.ponte.messaging;

import dev.ponte.model.MessageStatus;
import dev.ponte.outbound.DeliveryOutcomes;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.Sink;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * What a channel's answer does to a message: delivered → SENT with the provider's id; refused for good (by the sink,
 * or later by a FAILED status) → the channel's failure is recorded and the message is due again at once, for the
 * next consented channel ({@link MessagePolicy} skips the channels tried). Commands that are not messages are left
 * to the sink driver.
 */
public final class MessageOutcomes implements DeliveryOutcomes {

    @Override
    public void delivered(Connection c, String instance, OutboundCommand command, Sink.Delivery delivery,
                          Instant now) throws SQLException {
        Optional<Messages.StoredMessage> m = message(c, instance, command);
        if (m.isEmpty() || m.get().status() != MessageStatus.QUEUED) {
            return;
        }
        Messages.update(c, m.get().sent(delivery == null ? null : delivery.externalId(), now));
        Messages.step(c, m.get().id(), now, "channel", "SENT", m.get().channel(),
                delivery == null ? null : delivery.detail());
    }

    @Override
    public boolean refused(Connection c, String instance, OutboundCommand command, String reason, Instant now)
            throws SQLException {
        Optional<Messages.StoredMessage> m = message(c, instance, command);
        if (m.isEmpty()) {
            return false;
        }
        if (m.get().status() == MessageStatus.QUEUED) {
            failedOnChannel(c, m.get(), reason, now);
        }
        return true;
    }

    /** The message failed on its current channel: recorded, and due again now for the next one. */
    static void failedOnChannel(Connection c, Messages.StoredMessage m, String reason, Instant now)
            throws SQLException {
        Messages.step(c, m.id(), now, "channel", "FAILED", m.channel(), reason);
        Messages.update(c, m.with(MessageStatus.SCHEDULED, m.channel() + " failed: " + reason
                + "; trying the next channel", now).dueAt(now));
    }

    private static Optional<Messages.StoredMessage> message(Connection c, String instance, OutboundCommand command)
            throws SQLException {
        if (!OutboundMessage.ENTITY.equals(command.entity()) || command.canonicalId() == null) {
            return Optional.empty();
        }
        return Messages.byId(c, command.canonicalId()).filter(m -> instance.equals(m.connector()));
    }
}
