package dev.ponte.outbound;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.Sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What else happens when a sink delivered a command or refused it for good, in the same transaction as the
 * sink driver's own record. The messaging core uses it to mark a message sent, or to move it to the patient's next
 * channel instead of keeping a dead letter.
 */
public interface DeliveryOutcomes {

    /** Nothing else. */
    DeliveryOutcomes NONE = new DeliveryOutcomes() {
        @Override
        public boolean concerns(OutboundCommand command) {
            return false;
        }

        @Override
        public void delivered(Connection c, String instance, OutboundCommand command, Sink.Delivery delivery,
                              Instant now) {
        }

        @Override
        public boolean refused(Connection c, String instance, OutboundCommand command, String reason, Instant now) {
            return false;
        }
    };

    /**
     * Whether this has a say about a command at all; the sink driver asks the other methods (each in a transaction)
     * only then, so a sink whose commands nobody else cares about pays nothing.
     */
    boolean concerns(OutboundCommand command);

    /**
     * Asked just before the sink is called: whether the command is still wanted now. A message to a patient that was
     * cancelled, moved or superseded while it waited on the queue, or whose send now falls in the quiet hours, is not
     * (the messaging core reschedules or cancels it); everything else is.
     */
    default boolean stillWanted(Connection c, String instance, OutboundCommand command, Instant now)
            throws SQLException {
        return true;
    }

    /** The sink delivered the command. */
    void delivered(Connection c, String instance, OutboundCommand command, Sink.Delivery delivery, Instant now)
            throws SQLException;

    /**
     * The sink refused the command for good.
     *
     * @return {@code true} when this took care of it (no dead letter is kept); {@code false} for a dead letter
     */
    boolean refused(Connection c, String instance, OutboundCommand command, String reason, Instant now)
            throws SQLException;

    /**
     * The first of {@code parts} that concerns a command speaks for it; none: nothing else happens (the messaging
     * core takes messages, invoicing takes invoices).
     */
    static DeliveryOutcomes first(DeliveryOutcomes... parts) {
        java.util.List<DeliveryOutcomes> list = java.util.List.of(parts);
        return new DeliveryOutcomes() {
            private DeliveryOutcomes of(OutboundCommand command) {
                for (DeliveryOutcomes p : list) {
                    if (p.concerns(command)) {
                        return p;
                    }
                }
                return NONE;
            }

            @Override
            public boolean concerns(OutboundCommand command) {
                return of(command) != NONE;
            }

            @Override
            public boolean stillWanted(Connection c, String instance, OutboundCommand command, Instant now)
                    throws SQLException {
                return of(command).stillWanted(c, instance, command, now);
            }

            @Override
            public void delivered(Connection c, String instance, OutboundCommand command, Sink.Delivery delivery,
                                  Instant now) throws SQLException {
                of(command).delivered(c, instance, command, delivery, now);
            }

            @Override
            public boolean refused(Connection c, String instance, OutboundCommand command, String reason,
                                   Instant now) throws SQLException {
                return of(command).refused(c, instance, command, reason, now);
            }
        };
    }
}
