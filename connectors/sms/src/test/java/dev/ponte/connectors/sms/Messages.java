package dev.ponte.connectors.sms;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.SampleCommands;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** SMS message commands as the hub builds them for the kit instance. */
final class Messages {

    static final String TEXT = "Ola Ana, sua sessao de Laser facial e amanha as 10:00. Responda 1 para confirmar.";
    static final String ACCENTED = "Olá Ana, sua sessão de Laser facial é amanhã às 10:00. Responda 1 para confirmar.";

    private Messages() {
    }

    /** A reminder to the kit's sample patient. */
    static OutboundCommand reminder() {
        return to(SampleCommands.PATIENT_PHONE, TEXT);
    }

    static OutboundCommand to(String recipient, String text) {
        OutboundMessage m = new OutboundMessage(UUID.randomUUID().toString(), "SMS", recipient, "reminder", "pt-BR",
                null, text, null);
        return new OutboundCommand(UUID.randomUUID().toString(), KitHub.INSTANCE + ":message:" + m.messageId(),
                OutboundMessage.ENTITY, OutboundCommand.Action.UPSERT, m.messageId(), m.toJson(), Map.of(),
                "message.requested", "kit-correlation", UUID.randomUUID().toString(), Instant.now());
    }

    /** The same command again, as the broker redelivers it. */
    static OutboundCommand again(OutboundCommand c) {
        return SampleCommands.again(c);
    }
}
