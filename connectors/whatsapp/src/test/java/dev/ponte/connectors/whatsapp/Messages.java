package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.SampleCommands;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Message commands as the hub builds them for the kit instance; the recipient is the kit's sample patient. */
final class Messages {

    static final String TEXT = "Olá Ana, sua sessão de Laser facial é amanhã às 10:00. Responda 1 para confirmar.";
    static final OutboundMessage.ProviderTemplate TEMPLATE = new OutboundMessage.ProviderTemplate(
            "lembrete_consulta", "pt_BR", List.of("Ana", "Laser facial", "01/12 às 10:00"),
            List.of("CONFIRM", "CANCEL"));

    private Messages() {
    }

    /** A reminder with its approved template form. */
    static OutboundCommand template() {
        return command(new OutboundMessage(UUID.randomUUID().toString(), "WHATSAPP", SampleCommands.PATIENT_PHONE,
                "reminder", "pt-BR", null, TEXT, TEMPLATE));
    }

    /** The same reminder as a session text (no template form). */
    static OutboundCommand text() {
        return command(new OutboundMessage(UUID.randomUUID().toString(), "WHATSAPP", SampleCommands.PATIENT_PHONE,
                "reminder", "pt-BR", null, TEXT, null));
    }

    static OutboundCommand command(OutboundMessage m) {
        return new OutboundCommand(UUID.randomUUID().toString(), KitHub.INSTANCE + ":message:" + m.messageId(),
                OutboundMessage.ENTITY, OutboundCommand.Action.UPSERT, m.messageId(), m.toJson(), Map.of(),
                "message.requested", "kit-correlation", UUID.randomUUID().toString(), Instant.now());
    }
}
