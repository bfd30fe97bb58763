package dev.ponte.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;

import java.util.List;
import java.util.Objects;

/**
 * A message to one patient on one channel, as a channel sink receives it: the {@link OutboundCommand#data()} of a
 * command whose {@link OutboundCommand#entity()} is {@value #ENTITY}. The hub rendered it already (template,
 * placeholders, clinic time zone) and checked consent, quiet hours, cadence and the recipient before sending it; the
 * sink only delivers it. Read it with {@link #of(OutboundCommand)}.
 *
 * <p>A sink reports a failure on this channel that another channel may overcome (undeliverable number, no account)
 * as {@link PermanentDeliveryException}: the hub then moves the message to the patient's next consented channel,
 * recorded step by step; a {@link RetriableDeliveryException} is retried on the same channel.
 *
 * @param messageId  the hub's id of the message
 * @param channel    {@code WHATSAPP}, {@code SMS} or {@code EMAIL}
 * @param recipient  E.164 with {@code +} for phone channels, an address for e-mail
 * @param purpose    the template purpose: {@code reminder}, {@code confirmation}, {@code recall}, {@code receipt},
 *                   {@code free}
 * @param language   BCP 47 tag of the text, e.g. {@code pt-BR}
 * @param subject    a subject line (e-mail), or {@code null}
 * @param text       the rendered text
 * @param template   the provider-approved template form (WhatsApp), or {@code null} when the template has none
 * @since 0.3
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboundMessage(String messageId, String channel, String recipient, String purpose, String language,
                              String subject, String text, ProviderTemplate template) {

    /** The entity name of message commands. */
    public static final String ENTITY = "Message";

    public OutboundMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(text, "text");
    }

    /**
     * A template approved at the provider (WhatsApp message templates), filled in.
     *
     * @param name       the template's name at the provider
     * @param language   the provider's language code, e.g. {@code pt_BR}
     * @param parameters the body parameters, in order, rendered
     * @param buttons    the payloads of the template's quick-reply buttons, in order (what comes back when pressed)
     */
    public record ProviderTemplate(String name, String language, List<String> parameters, List<String> buttons) {
        public ProviderTemplate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(language, "language");
            parameters = parameters == null ? List.of() : List.copyOf(parameters);
            buttons = buttons == null ? List.of() : List.copyOf(buttons);
        }
    }

    /**
     * The message a command carries.
     *
     * @throws IllegalArgumentException when the command is not a message command or its data does not read as one
     */
    public static OutboundMessage of(OutboundCommand command) {
        if (!ENTITY.equals(command.entity())) {
            throw new IllegalArgumentException("command " + command.id() + " is about " + command.entity()
                    + ", not a " + ENTITY);
        }
        try {
            return Json.MAPPER.treeToValue(command.data(), OutboundMessage.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("command " + command.id() + " does not carry a message ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** This message as a command's data. */
    public JsonNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    @Override
    public String toString() {
        // never the recipient or the text: personal data
        return "OutboundMessage[" + messageId + " " + channel + " " + purpose + "]";
    }
}
