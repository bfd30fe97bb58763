package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Health;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.Sink;

/** Not built yet. */
final class SmppProvider implements SmsProvider {

    static SmppProvider open(ConnectorContext ctx) {
        throw new UnsupportedOperationException("the smpp provider is not built yet");
    }

    @Override
    public Sink.Delivery send(OutboundCommand command, OutboundMessage message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Health health() {
        return Health.down("not built");
    }
}
