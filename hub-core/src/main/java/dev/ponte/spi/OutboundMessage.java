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
 * @param html       the rendered HTML body (e-mail; placeholders HTML-escaped), or {@code null}: send {@code text}
 * @param invitation the appointment this message invites to or cancels, as a calendar entry (e-mail), or
 *                   {@code null}
 * @since 0.3 ({@code html} and {@code invitation}: 0.4)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboundMessage(String messageId, String channel, String recipient, String purpose, String language,
                              String subject, String text, ProviderTemplate template, String html,
                              Invitation invitation) {

    /** The entity name of message commands. */
    public static final String ENTITY = "Message";

    public OutboundMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(text, "text");
    }

    /** A message without an HTML body or an invitation (0.3). */
    public OutboundMessage(String messageId, String channel, String recipient, String purpose, String language,
                           String subject, String text, ProviderTemplate template) {
        this(messageId, channel, recipient, purpose, language, subject, text, template, null, null);
    }

    /**
     * An appointment as a calendar entry the patient's calendar keeps (iCalendar, RFC 5545/5546): the hub decides
     * every value, the connector only writes them. The same appointment always has the same {@code uid}; every
     * change the hub announces has a higher {@code sequence}; {@code cancelled} says the entry is withdrawn
     * ({@code METHOD:CANCEL}).
     *
     * @param uid       stable per appointment, e.g. {@code <appointment id>@<domain>}
     * @param sequence  0 for the first announcement, higher for each later change
     * @param cancelled whether the appointment is cancelled (withdraw the entry)
     * @param start     the start, ISO-8601 with offset ({@code 2026-12-03T14:00:00-03:00})
     * @param end       the end, ISO-8601 with offset
     * @param timeZone  the clinic's IANA time zone, e.g. {@code America/Sao_Paulo}
     * @param summary   the entry's title (procedure and clinic), rendered
     * @param location  the clinic unit's name and address, or {@code null}
     * @since 0.4
     */
    public record Invitation(String uid, int sequence, boolean cancelled, String start, String end, String timeZone,
                             String summary, String location) {
        public Invitation {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(timeZone, "timeZone");
            Objects.requireNonNull(summary, "summary");
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must not be negative: " + sequence);
            }
        }
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
