package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.Channel;
import dev.ponte.spi.OutboundMessage;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A message template as loaded from {@code <templates>/<id>.<language>.yaml}: the text every channel can send, an
 * optional subject (e-mail), and an optional WhatsApp form (a template approved at Meta, with its body parameters
 * and quick-reply button payloads).
 *
 * @param id       the template's name, e.g. {@code reminder}
 * @param language BCP 47 tag, e.g. {@code pt-BR}
 * @param purpose  why it is sent (decides the consent needed)
 * @param channels the channels it may be sent on (all by default)
 * @param subject  parts of the subject line, or empty
 * @param text     parts of the text: literal strings and {@link Placeholder}s, in order
 * @param html     parts of the HTML body (e-mail), or empty; placeholder values are HTML-escaped
 * @param whatsapp the WhatsApp form, or {@code null}
 * @param file     where it was loaded from, for messages
 */
public record Template(String id, String language, MessagePurpose purpose, Set<Channel> channels, List<Object> subject,
                       List<Object> text, List<Object> html, WhatsAppForm whatsapp, String file) {

    public Template {
        channels = Set.copyOf(channels);
        subject = List.copyOf(subject);
        text = List.copyOf(text);
        html = List.copyOf(html);
    }

    /** The approved WhatsApp template: its name and language at Meta, its body parameters, its button payloads. */
    public record WhatsAppForm(String name, String language, List<List<Object>> parameters, List<String> buttons) {
        public WhatsAppForm {
            parameters = parameters.stream().map(List::copyOf).toList();
            buttons = List.copyOf(buttons);
        }
    }

    /** Every placeholder the template uses, subject, text and WhatsApp parameters. */
    public List<Placeholder> placeholders() {
        java.util.List<Placeholder> out = new java.util.ArrayList<>();
        java.util.stream.Stream.concat(java.util.stream.Stream.concat(java.util.stream.Stream.concat(
                                subject.stream(), text.stream()), html.stream()),
                        whatsapp == null ? java.util.stream.Stream.empty()
                                : whatsapp.parameters().stream().flatMap(List::stream))
                .filter(Placeholder.class::isInstance).map(Placeholder.class::cast).forEach(out::add);
        return out;
    }

    /** The message for one channel, rendered with the records it is about. */
    public OutboundMessage render(String messageId, Channel channel, String recipient, Map<String, JsonNode> records,
                                  ZoneId zone) {
        return render(messageId, channel, recipient, records, zone, null);
    }

    /** The message for one channel, with the calendar entry it carries (e-mail), rendered. */
    public OutboundMessage render(String messageId, Channel channel, String recipient, Map<String, JsonNode> records,
                                  ZoneId zone, OutboundMessage.Invitation invitation) {
        Locale locale = Locale.forLanguageTag(language);
        String renderedSubject = subject.isEmpty() ? null : join(subject, records, zone, locale).strip();
        OutboundMessage.ProviderTemplate form = null;
        if (channel == Channel.WHATSAPP && whatsapp != null) {
            form = new OutboundMessage.ProviderTemplate(whatsapp.name(), whatsapp.language(),
                    whatsapp.parameters().stream().map(p -> join(p, records, zone, locale)).toList(),
                    whatsapp.buttons());
        }
        String renderedHtml = channel == Channel.EMAIL && !html.isEmpty()
                ? join(html, records, zone, locale, true).strip() : null;
        return new OutboundMessage(messageId, channel.name(), recipient, purpose.id(), language, renderedSubject,
                join(text, records, zone, locale).strip(), form, renderedHtml,
                channel == Channel.EMAIL ? invitation : null);
    }

    /** The text of some parts: a summary line, a subject. */
    public static String join(List<Object> parts, Map<String, JsonNode> records, ZoneId zone, Locale locale) {
        return join(parts, records, zone, locale, false);
    }

    private static String join(List<Object> parts, Map<String, JsonNode> records, ZoneId zone, Locale locale,
                               boolean escape) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Placeholder p) {
                String value = p.render(records, zone, locale);
                out.append(escape ? escapeHtml(value) : value);
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    /** A value safe inside HTML text and attribute values. */
    static String escapeHtml(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
