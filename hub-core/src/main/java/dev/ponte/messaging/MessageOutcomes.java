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
 * What a channel's sink does to a message, in the sink driver's transactions:
 * <ul>
 *   <li>before the call, {@link #stillWanted}: the message must still be QUEUED with this very command, and its send
 *       must still be allowed now ({@link MessageDispatcher#recheck}: quiet hours, consent on this channel, the
 *       appointment still ahead);</li>
 *   <li>delivered → SENT with the provider's id, and the statuses the provider reported before that id was recorded
 *       applied;</li>
 *   <li>refused for good (by the sink, after the broker's last attempt, or later by a FAILED status) → the failure is
 *       recorded and the message is due again at once for the next consented channel ({@link MessagePolicy} skips
 *       the channels tried).</li>
 * </ul>
 * Commands that are not messages are left to the sink driver.
 */
public final class MessageOutcomes implements DeliveryOutcomes {

    private final MessageDispatcher dispatcher;

    MessageOutcomes(MessageDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean concerns(OutboundCommand command) {
        return OutboundMessage.ENTITY.equals(command.entity());
    }

    @Override
    public boolean stillWanted(Connection c, String instance, OutboundCommand command, Instant now)
            throws SQLException {
        Optional<Messages.StoredMessage> m = message(c, instance, command);
        if (m.isEmpty()) {
            return !OutboundMessage.ENTITY.equals(command.entity()); // a message the hub no longer holds: not sent
        }
        return dispatcher.recheck(c, m.get(), command, now);
    }

    @Override
    public void delivered(Connection c, String instance, OutboundCommand command, Sink.Delivery delivery,
                          Instant now) throws SQLException {
        Optional<Messages.StoredMessage> m = message(c, instance, command);
        if (m.isEmpty() || m.get().status() != MessageStatus.QUEUED) {
            return;
        }
        String externalId = delivery == null ? null : delivery.externalId();
        Messages.StoredMessage sent = m.get().sent(externalId, now);
        Messages.update(c, sent);
        if (delivery != null && delivery.parts() != null) {
            Messages.parts(c, sent.id(), delivery.parts());
        }
        Messages.step(c, sent.id(), now, "channel", "SENT", sent.channel(),
                delivery == null ? null : delivery.detail());
        if (externalId != null) {
            for (Messages.EarlyStatus s : Messages.takeEarlyStatuses(c, instance, externalId)) {
                sent = Messages.byId(c, sent.id()).orElseThrow();
                HubMessageEvents.apply(c, sent, s.status(), s.at(), s.errorCode(), s.errorTitle(), now);
            }
        }
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
