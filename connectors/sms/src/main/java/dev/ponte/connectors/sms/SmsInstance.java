package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.Sink;
import org.apache.camel.RoutesBuilder;

/** One sms instance: the provider its {@code provider} option names, and the sink in front of it. */
final class SmsInstance implements ConnectorInstance {

    private final SmsProvider provider;
    private final SmsSink sink;

    SmsInstance(ConnectorContext ctx) {
        this.provider = open(ctx);
        this.sink = new SmsSink(provider);
    }

    private static SmsProvider open(ConnectorContext ctx) {
        String name = ctx.config().string("provider");
        return switch (name) {
            case SmsConnector.SMPP -> SmppProvider.open(ctx);
            case SmsConnector.TWILIO -> TwilioProvider.open(ctx);
            case SmsConnector.ZENVIA -> ZenviaProvider.open(ctx);
            default -> throw new IllegalStateException("provider " + name + " passed validation but is unknown");
        };
    }

    @Override
    public RoutesBuilder routes() {
        return provider.routes();
    }

    @Override
    public Sink sink() {
        return sink;
    }

    @Override
    public Health health() {
        return provider.health();
    }

    @Override
    public void close() {
        provider.close();
    }
}
