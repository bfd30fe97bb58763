package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.SandboxRecorder;
import dev.ponte.spi.Webhooks;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.SampleCommands;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * For the tests of the HTTP providers (twilio, zenvia): instances opened on a hand-built {@link ConnectorContext}
 * (only the configuration, clock, sandbox recorder, webhooks and message events are given), and message commands as
 * the hub builds them for the kit's sample patient.
 */
final class HttpProviders {

    /** The reminder's text: accents and a line break, as the hub renders them. */
    static final String TEXT = "Olá Ana, sua sessão de Laser facial é amanhã às 10:00.\nResponda 1 para confirmar.";
    static final String PATIENT_DIGITS = SampleCommands.PATIENT_PHONE.substring(1);

    private HttpProviders() {
    }

    static ConnectorConfig config(Map<String, String> options, boolean sandbox, Path dir) {
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".";
        properties.put(prefix + "type", SmsConnector.TYPE);
        properties.put(prefix + "sandbox", String.valueOf(sandbox));
        options.forEach((k, v) -> properties.put(prefix + k, v));
        return ConnectorConfigs.validate(properties, Map.of(SmsConnector.TYPE, new SmsConnector()),
                Map.of("data-dir", dir.toString())).get(0);
    }

    static ConnectorInstance open(Map<String, String> options, boolean sandbox, Path dir, SandboxRecorder recorder,
                                  Webhooks webhooks, MessageEvents events) {
        ConnectorContext ctx = new ConnectorContext(config(options, sandbox, dir), dir, null, null, null, null, null,
                recorder, Clock.systemUTC(), webhooks, events);
        return new SmsConnector().open(ctx);
    }

    /** Opened outside sandbox mode, with a webhook server that accepts the registration and no message events. */
    static ConnectorInstance open(Map<String, String> options, Path dir) {
        return open(options, false, dir, (i, k, m, t, h, b) -> {
            throw new AssertionError("not in sandbox mode");
        }, (path, methods, handler) -> { }, null);
    }

    /** A reminder to the kit's sample patient. */
    static OutboundCommand reminder() {
        return command(new OutboundMessage(UUID.randomUUID().toString(), "SMS", SampleCommands.PATIENT_PHONE,
                "reminder", "pt-BR", null, TEXT, null));
    }

    static OutboundCommand command(OutboundMessage m) {
        return new OutboundCommand(UUID.randomUUID().toString(), KitHub.INSTANCE + ":message:" + m.messageId(),
                OutboundMessage.ENTITY, OutboundCommand.Action.UPSERT, m.messageId(), m.toJson(), Map.of(),
                "message.requested", "kit-correlation", UUID.randomUUID().toString(), Instant.now());
    }

    static String messageId(OutboundCommand c) {
        return OutboundMessage.of(c).messageId();
    }
}
