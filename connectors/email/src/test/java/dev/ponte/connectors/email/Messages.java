package dev.ponte.connectors.email;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.testkit.KitHub;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Message commands as the hub builds them for the kit instance. */
final class Messages {

    static final String PATIENT = "ana.lima@paciente.example";
    static final String TEXT = "Olá Ana, sua sessão de Laser facial é amanhã às 10:00.\n\nResponda SIM para confirmar.";
    static final String HTML = "<p>Olá Ana, sua sessão de <b>Laser facial</b> é amanhã às 10:00.</p>";

    private Messages() {
    }

    /** A reminder with an HTML body, to {@link #PATIENT}. */
    static OutboundCommand reminder() {
        return command(new OutboundMessage(UUID.randomUUID().toString(), "EMAIL", PATIENT, "reminder", "pt-BR",
                "Lembrete: Laser facial amanhã às 10:00", TEXT, null, HTML, null));
    }

    /** A confirmation without subject or HTML, inviting to {@code invitation}. */
    static OutboundCommand invitation(OutboundMessage.Invitation invitation) {
        return command(new OutboundMessage(UUID.randomUUID().toString(), "EMAIL", PATIENT, "confirmation", "pt-BR",
                null, "Sua sessão está <confirmada> & agendada.", null, null, invitation));
    }

    /** A message to {@code recipient}. */
    static OutboundCommand to(String recipient) {
        return command(new OutboundMessage(UUID.randomUUID().toString(), "EMAIL", recipient, "reminder", "pt-BR",
                null, TEXT, null));
    }

    static OutboundCommand command(OutboundMessage m) {
        return new OutboundCommand(UUID.randomUUID().toString(), KitHub.INSTANCE + ":message:" + m.messageId(),
                OutboundMessage.ENTITY, OutboundCommand.Action.UPSERT, m.messageId(), m.toJson(), Map.of(),
                "message.requested", "kit-correlation", UUID.randomUUID().toString(),
                Instant.parse("2026-12-01T12:00:00Z"));
    }
}
