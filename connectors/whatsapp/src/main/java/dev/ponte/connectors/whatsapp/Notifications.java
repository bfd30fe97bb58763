package dev.ponte.connectors.whatsapp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ponte.json.Json;
import dev.ponte.spi.MessageEvents;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one webhook notification of the Cloud API (after its signature was checked) into what the hub is told, all
 * of it or nothing: a body that is not one JSON value, not {@code "object": "whatsapp_business_account"} with an
 * {@code entry} array, or whose {@code messages} changes lack what every status and message has (an id, a
 * timestamp, a status; a sender that is a phone number), is {@link Malformed} and nothing of it is reported.
 * <ul>
 *   <li>{@code statuses[]}: {@code sent}, {@code delivered}, {@code read}, {@code failed} become a
 *       {@link MessageEvents.StatusUpdate} with the first error's code and title; other values ({@code deleted},
 *       {@code warning}…) are counted and ignored;</li>
 *   <li>{@code messages[]}: each becomes a {@link MessageEvents.PatientReply} from {@code "+" + from}, in reply to
 *       {@code context.id}: the text of a {@code text}, the payload of a {@code button}, the id of an
 *       {@code interactive} button or list reply; any other type (image, document, location, reaction,
 *       {@code unsupported}…) with neither, for a person to read;</li>
 *   <li>changes of another {@code field} (template status, account updates) are counted and ignored.</li>
 * </ul>
 * Pure; never puts a value of the body in a message (they are personal data).
 */
final class Notifications {

    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern PHONE = Pattern.compile("[1-9][0-9]{6,14}");
    private static final Pattern EPOCH = Pattern.compile("[0-9]{1,12}");
    private static final Map<String, MessageEvents.DeliveryStatus> STATUSES = Map.of(
            "sent", MessageEvents.DeliveryStatus.SENT, "delivered", MessageEvents.DeliveryStatus.DELIVERED,
            "read", MessageEvents.DeliveryStatus.READ, "failed", MessageEvents.DeliveryStatus.FAILED);

    private Notifications() {
    }

    /** A body that is not a WhatsApp notification; the message says where, never what. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /**
     * What one notification reports.
     *
     * @param ignored statuses of other values and changes of other fields, skipped
     */
    record Batch(List<MessageEvents.StatusUpdate> statuses, List<MessageEvents.PatientReply> replies, int ignored) {
    }

    static Batch parse(String instance, byte[] body) throws Malformed {
        JsonNode root;
        try {
            root = READER.readTree(new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new Malformed("the body is not one JSON document (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject() || !"whatsapp_business_account".equals(root.path("object").asText())) {
            throw new Malformed("not a WhatsApp notification (object is not whatsapp_business_account)");
        }
        List<MessageEvents.StatusUpdate> statuses = new ArrayList<>();
        List<MessageEvents.PatientReply> replies = new ArrayList<>();
        int ignored = 0;
        JsonNode entries = array(root, "entry", "entry");
        for (int e = 0; e < entries.size(); e++) {
            String at = "entry[" + e + "]";
            JsonNode changes = array(object(entries.get(e), at), "changes", at + ".changes");
            for (int c = 0; c < changes.size(); c++) {
                String atChange = at + ".changes[" + c + "]";
                JsonNode change = object(changes.get(c), atChange);
                if (!"messages".equals(text(change, "field", atChange + ".field"))) {
                    ignored++;
                    continue;
                }
                JsonNode value = object(change.get("value"), atChange + ".value");
                JsonNode st = optionalArray(value, "statuses", atChange + ".value.statuses");
                for (int i = 0; i < st.size(); i++) {
                    String where = atChange + ".value.statuses[" + i + "]";
                    JsonNode s = object(st.get(i), where);
                    String id = text(s, "id", where + ".id");
                    String word = text(s, "status", where + ".status").toLowerCase(Locale.ROOT);
                    Instant time = epoch(s, where + ".timestamp");
                    MessageEvents.DeliveryStatus status = STATUSES.get(word);
                    if (status == null) {
                        ignored++;
                        continue;
                    }
                    JsonNode error = s.path("errors").path(0);
                    statuses.add(new MessageEvents.StatusUpdate(instance, id, status, time,
                            textOrNull(error.get("code")), textOrNull(error.get("title"))));
                }
                JsonNode ms = optionalArray(value, "messages", atChange + ".value.messages");
                for (int i = 0; i < ms.size(); i++) {
                    String where = atChange + ".value.messages[" + i + "]";
                    replies.add(reply(instance, object(ms.get(i), where), where));
                }
            }
        }
        return new Batch(List.copyOf(statuses), List.copyOf(replies), ignored);
    }

    private static MessageEvents.PatientReply reply(String instance, JsonNode m, String where) throws Malformed {
        String id = text(m, "id", where + ".id");
        String from = text(m, "from", where + ".from");
        if (!PHONE.matcher(from).matches()) {
            throw new Malformed(where + ".from is not a phone number (E.164 digits)");
        }
        Instant time = epoch(m, where + ".timestamp");
        String type = text(m, "type", where + ".type");
        String inReplyTo = textOrNull(m.path("context").get("id"));
        String text = null;
        String button = null;
        switch (type) {
            case "text" -> text = textOrNull(m.path("text").get("body"));
            case "button" -> button = textOrNull(m.path("button").get("payload"));
            case "interactive" -> {
                JsonNode interactive = m.path("interactive");
                button = textOrNull(interactive.path("button_reply").get("id"));
                if (button == null) {
                    button = textOrNull(interactive.path("list_reply").get("id"));
                }
            }
            default -> {
                // image, document, location, reaction, unsupported…: recorded for a person, neither text nor button
            }
        }
        return new MessageEvents.PatientReply(instance, id, "+" + from, inReplyTo, text, button, time);
    }

    private static JsonNode object(JsonNode node, String where) throws Malformed {
        if (node == null || !node.isObject()) {
            throw new Malformed(where + " is not an object");
        }
        return node;
    }

    private static JsonNode array(JsonNode parent, String field, String where) throws Malformed {
        JsonNode n = parent.get(field);
        if (n == null || !n.isArray()) {
            throw new Malformed(where + " is not an array");
        }
        return n;
    }

    private static JsonNode optionalArray(JsonNode parent, String field, String where) throws Malformed {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return Json.MAPPER.createArrayNode();
        }
        if (!n.isArray()) {
            throw new Malformed(where + " is not an array");
        }
        return n;
    }

    private static String text(JsonNode parent, String field, String where) throws Malformed {
        JsonNode n = parent.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new Malformed(where + " is missing or not a text");
        }
        return n.asText();
    }

    /** A text or a number as text; {@code null} when absent. */
    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    /** Unix seconds, as Meta sends them (a text of digits; a number is accepted too). */
    private static Instant epoch(JsonNode parent, String where) throws Malformed {
        JsonNode n = parent.get("timestamp");
        String t = n == null ? null : n.isTextual() ? n.asText() : n.canConvertToExactIntegral() ? n.asText() : null;
        if (t == null || !EPOCH.matcher(t).matches()) {
            throw new Malformed(where + " is not Unix seconds");
        }
        return Instant.ofEpochSecond(Long.parseLong(t));
    }
}
