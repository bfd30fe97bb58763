package dev.ponte.connectors.whatsapp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.spi.OutboundMessage;

import java.util.List;

/**
 * The body of a Cloud API message post for one {@link OutboundMessage}:
 * <ul>
 *   <li>with a {@link OutboundMessage#template() template form}: a {@code template} message, its body parameters as
 *       {@code text} parameters in order, and one {@code quick_reply} button component per button payload, with
 *       {@code index} {@code "0"}, {@code "1"}…; a template without parameters or buttons has no such component;</li>
 *   <li>else a session {@code text} message with {@code preview_url: false} (Meta accepts it only within 24 hours of
 *       the patient's last message).</li>
 * </ul>
 * {@code to} is the recipient's digits, without {@code +}. Pure.
 */
final class MessagePayloads {

    private MessagePayloads() {
    }

    /** The recipient as the Cloud API takes it: the digits of the E.164 number; empty when it has none. */
    static String to(String recipient) {
        return recipient.replaceAll("[^0-9]", "");
    }

    static boolean isTemplate(OutboundMessage m) {
        return m.template() != null;
    }

    static String body(OutboundMessage m, String to) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("messaging_product", "whatsapp");
        if (isTemplate(m)) {
            OutboundMessage.ProviderTemplate t = m.template();
            root.put("recipient_type", "individual").put("to", to).put("type", "template");
            ObjectNode template = root.putObject("template").put("name", t.name());
            template.putObject("language").put("code", t.language());
            ArrayNode components = Json.MAPPER.createArrayNode();
            if (!t.parameters().isEmpty()) {
                ArrayNode parameters = components.addObject().put("type", "body").putArray("parameters");
                for (String p : t.parameters()) {
                    parameters.addObject().put("type", "text").put("text", p);
                }
            }
            List<String> buttons = t.buttons();
            for (int i = 0; i < buttons.size(); i++) {
                components.addObject().put("type", "button").put("sub_type", "quick_reply")
                        .put("index", Integer.toString(i)).putArray("parameters").addObject()
                        .put("type", "payload").put("payload", buttons.get(i));
            }
            if (!components.isEmpty()) {
                template.set("components", components);
            }
        } else {
            root.put("to", to).put("type", "text");
            root.putObject("text").put("preview_url", false).put("body", m.text());
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
