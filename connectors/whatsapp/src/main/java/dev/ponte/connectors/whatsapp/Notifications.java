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
 * Reads one webhook notification of the Cloud API (after its signature was checked) into what the hub is told.
 * <p>
 * The envelope is all or nothing: a body that is not one JSON document (trailing data included), or not an object
 * with {@code "object": "whatsapp_business_account"} and an {@code entry} array, is {@link Malformed} and nothing
 * of it is reported. Inside a well-formed envelope each part stands on its own, so that one odd part does not lose
 * the others:
 * <ul>
 *   <li>a {@code messages} change whose {@code value.metadata.phone_number_id} is present and is not this
 *       instance's {@code phone-number-id} belongs to another number of the same Meta app: it is ignored whole and
 *       its id kept in {@link Batch#otherNumbers()}. A change without that id is read;</li>
 *   <li>{@code statuses[]}: {@code sent}, {@code delivered}, {@code read}, {@code failed} become a
 *       {@link MessageEvents.StatusUpdate} with the first error's code and title; other values ({@code deleted},
 *       {@code warning}…) are counted and ignored. A status without an id, a status or a timestamp in Unix seconds
 *       is skipped ({@link Batch#unreadable()});</li>
 *   <li>{@code messages[]}: each becomes a {@link MessageEvents.PatientReply} from {@code "+" + from}, in reply to
 *       {@code context.id}: the text of a {@code text}, the payload of a {@code button}, the id of an
 *       {@code interactive} button or list reply; any other type (image, document, location, reaction,
 *       {@code unsupported}…) with neither, for a person to read. A message without an id, a timestamp or a type,
 *       or whose {@code from} is not a phone number (a username-based id), is skipped ({@link Batch#unreadable()});
 *       </li>
 *   <li>an entry that is not an object or has no {@code changes} array, a change that is not an object or has no
 *       {@code field}, a {@code messages} change without a {@code value} object, a {@code statuses} or
 *       {@code messages} that is not an array: skipped ({@link Batch#unreadableParts()}), the rest is read;</li>
 *   <li>changes of another {@code field} (template status, account updates) are counted and ignored.</li>
 * </ul>
 * Pure. Never puts a value of the body in a message (they are personal data), only where it is; the one exception
 * is the phone number id of another number (an id of the clinic's account, not personal data), kept only when it is
 * digits.
 */
final class Notifications {

    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern PHONE = Pattern.compile("[1-9][0-9]{6,14}");
    private static final Pattern EPOCH = Pattern.compile("[0-9]{1,12}");
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("[0-9]{1,32}");
    /** How the id of another number is kept when it is not digits (it is then not shown). */
    static final String NOT_DIGITS = "not digits";
    private static final Map<String, MessageEvents.DeliveryStatus> STATUSES = Map.of(
            "sent", MessageEvents.DeliveryStatus.SENT, "delivered", MessageEvents.DeliveryStatus.DELIVERED,
            "read", MessageEvents.DeliveryStatus.READ, "failed", MessageEvents.DeliveryStatus.FAILED);

    private Notifications() {
    }

    /** A body that is not a WhatsApp notification, or a part of one that cannot be read; says where, never what. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /**
     * What one notification reports.
     *
     * @param ignored         statuses of other values and changes of other fields, skipped
     * @param otherNumbers    the {@code phone_number_id} of each change ignored for being another number's (digits,
     *                        else {@link #NOT_DIGITS}), in order
     * @param unreadable      where each status or message that could not be read is (e.g.
     *                        {@code entry[0].changes[0].value.messages[1].from is not a phone number}), in order
     * @param unreadableParts where each entry, change or array that could not be read is, in order
     */
    record Batch(List<MessageEvents.StatusUpdate> statuses, List<MessageEvents.PatientReply> replies, int ignored,
                 List<String> otherNumbers, List<String> unreadable, List<String> unreadableParts) {
    }

    /**
     * @param instance      the instance the statuses and replies are reported for
     * @param phoneNumberId this instance's {@code phone-number-id}
     * @throws Malformed when the envelope is not a WhatsApp notification (then nothing of it is reported)
     */
    static Batch parse(String instance, String phoneNumberId, byte[] body) throws Malformed {
        JsonNode root;
        try {
            root = READER.readTree(new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new Malformed("the body is not one JSON document (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject() || !"whatsapp_business_account".equals(root.path("object").asText())) {
            throw new Malformed("not a WhatsApp notification (object is not whatsapp_business_account)");
        }
        JsonNode entries = array(root, "entry", "entry");
        Reading reading = new Reading(instance, phoneNumberId);
        for (int e = 0; e < entries.size(); e++) {
            reading.entry(entries.get(e), "entry[" + e + "]");
        }
        return reading.batch();
    }

    /** What has been read of one notification so far. */
    private static final class Reading {
        private final String instance;
        private final String phoneNumberId;
        private final List<MessageEvents.StatusUpdate> statuses = new ArrayList<>();
        private final List<MessageEvents.PatientReply> replies = new ArrayList<>();
        private final List<String> otherNumbers = new ArrayList<>();
        private final List<String> unreadable = new ArrayList<>();
        private final List<String> unreadableParts = new ArrayList<>();
        private int ignored;

        Reading(String instance, String phoneNumberId) {
            this.instance = instance;
            this.phoneNumberId = phoneNumberId;
        }

        Batch batch() {
            return new Batch(List.copyOf(statuses), List.copyOf(replies), ignored, List.copyOf(otherNumbers),
                    List.copyOf(unreadable), List.copyOf(unreadableParts));
        }

        void entry(JsonNode entry, String at) {
            JsonNode changes;
            try {
                changes = array(object(entry, at), "changes", at + ".changes");
            } catch (Malformed e) {
                unreadableParts.add(e.getMessage());
                return;
            }
            for (int c = 0; c < changes.size(); c++) {
                change(changes.get(c), at + ".changes[" + c + "]");
            }
        }

        private void change(JsonNode node, String at) {
            JsonNode value;
            try {
                JsonNode change = object(node, at);
                if (!"messages".equals(text(change, "field", at + ".field"))) {
                    ignored++;
                    return;
                }
                value = object(change.get("value"), at + ".value");
            } catch (Malformed e) {
                unreadableParts.add(e.getMessage());
                return;
            }
            String number = textOrNull(value.path("metadata").get("phone_number_id"));
            if (number != null && !number.isBlank() && !number.equals(phoneNumberId)) {
                otherNumbers.add(PHONE_NUMBER_ID.matcher(number).matches() ? number : NOT_DIGITS);
                return;
            }
            items(value, "statuses", at + ".value.statuses", this::status);
            items(value, "messages", at + ".value.messages", this::message);
        }

        private void items(JsonNode value, String field, String where, Item item) {
            JsonNode list;
            try {
                list = optionalArray(value, field, where);
            } catch (Malformed e) {
                unreadableParts.add(e.getMessage());
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                try {
                    item.read(list.get(i), where + "[" + i + "]");
                } catch (Malformed e) {
                    unreadable.add(e.getMessage());
                }
            }
        }

        private void status(JsonNode node, String where) throws Malformed {
            JsonNode s = object(node, where);
            String id = text(s, "id", where + ".id");
            String word = text(s, "status", where + ".status").toLowerCase(Locale.ROOT);
            Instant time = epoch(s, where + ".timestamp");
            MessageEvents.DeliveryStatus status = STATUSES.get(word);
            if (status == null) {
                ignored++;
                return;
            }
            JsonNode error = s.path("errors").path(0);
            statuses.add(new MessageEvents.StatusUpdate(instance, id, status, time, textOrNull(error.get("code")),
                    textOrNull(error.get("title"))));
        }

        private void message(JsonNode node, String where) throws Malformed {
            replies.add(reply(instance, object(node, where), where));
        }
    }

    /** Reads one status or message into the reading, or says where it cannot be read. */
    @FunctionalInterface
    private interface Item {
        void read(JsonNode node, String where) throws Malformed;
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
