package dev.ponte.connectors.sms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The instance's Zenvia webhook on {@code webhook-path} (POST), as Zenvia's subscriptions call it.
 *
 * <p>Zenvia does not sign its webhooks: each subscription carries headers of the admin's choice, and this endpoint
 * refuses (403, nothing read) any request whose {@code X-Ponte-Token} header is not {@code webhook-token} (compared
 * in constant time over SHA-256 digests, so neither content nor length leaks). The admin creates two subscriptions
 * with the API token ({@code POST https://api.zenvia.com/v2/subscriptions}, header {@code X-API-TOKEN}), with the
 * public address of the hub ({@code public-url} + {@code webhook-path}):
 * <pre>{@code
 * {"eventType": "MESSAGE_STATUS",
 *  "webhook": {"url": "https://ponte.clinica.com.br/webhooks/sms/<instance>",
 *              "headers": {"X-Ponte-Token": "<webhook-token>"}},
 *  "criteria": {"channel": "sms"}}
 *
 * {"eventType": "MESSAGE",
 *  "webhook": {"url": "https://ponte.clinica.com.br/webhooks/sms/<instance>",
 *              "headers": {"X-Ponte-Token": "<webhook-token>"}},
 *  "criteria": {"channel": "sms", "direction": "IN"}}
 * }</pre>
 *
 * <p>Events (one JSON object per request):
 * <ul>
 *   <li>{@code {"type":"MESSAGE_STATUS","messageId":…,"messageStatus":{"code":…,"timestamp":…,"causes":[{"reason":…,
 *       "details":…}]}}}: {@code SENT}, {@code DELIVERED}, {@code READ} as such; {@code NOT_DELIVERED} and
 *       {@code REJECTED} → FAILED with the first cause's {@code reason} as the code and its {@code details}
 *       (phone numbers removed) as the title; any other code ({@code DELETED}, {@code CLICKED}…) ignored. The time is
 *       the status's {@code timestamp}, else the event's, else the hub's clock;</li>
 *   <li>{@code {"type":"MESSAGE","message":{"id":…,"from":"5511…","direction":"IN","contents":[{"type":"text",
 *       "text":…}]}}}: a {@link MessageEvents.PatientReply} from {@code "+" + digits}, its text the text contents
 *       joined by line breaks; an outbound message, or one without text (a file, a location), is ignored;</li>
 *   <li>another {@code type}: ignored, 200.</li>
 * </ul>
 * A body that is not one JSON object, or an event without its ids: 400 with a plain reason, nothing reported.
 * When the hub cannot record an event now: 503, so that Zenvia retries. Logs kinds and ids only: never a phone
 * number, a text, a header value or a token. Thread safe.
 */
final class ZenviaWebhook implements Webhooks.Handler {

    static final String TOKEN_HEADER = "X-Ponte-Token";
    private static final Logger LOG = LoggerFactory.getLogger(ZenviaWebhook.class);

    private final ConnectorContext ctx;
    private final byte[] tokenDigest;

    ZenviaWebhook(ConnectorContext ctx, String webhookToken) {
        this.ctx = ctx;
        this.tokenDigest = sha256(webhookToken);
    }

    /** A body that cannot be read as a Zenvia event; the message says why, without its content. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    @Override
    public Webhooks.Response handle(Webhooks.Request request) {
        String given = request.header(TOKEN_HEADER).orElse(null);
        if (given == null || !MessageDigest.isEqual(tokenDigest, sha256(given))) {
            LOG.warn("{}: Zenvia webhook refused: the {} header is {}; set it to {} in the Zenvia subscription",
                    ctx.instance(), TOKEN_HEADER, given == null ? "missing" : "wrong",
                    ctx.config().fullKey("webhook-token"));
            return Webhooks.Response.status(403);
        }
        try {
            JsonNode event = parse(request.body());
            String type = event.path("type").asText("");
            switch (type) {
                case "MESSAGE_STATUS" -> status(event);
                case "MESSAGE" -> message(event);
                default -> LOG.info("{}: Zenvia event of type '{}' ignored", ctx.instance(),
                        type.replaceAll("[^A-Za-z0-9_]", "?"));
            }
            return Webhooks.Response.ok();
        } catch (Malformed e) {
            LOG.warn("{}: Zenvia webhook refused, nothing of it recorded: {}", ctx.instance(), e.getMessage());
            return Webhooks.Response.text(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: the hub could not record a Zenvia event now ({}); answered 503 so that Zenvia sends it "
                    + "again", ctx.instance(), e.getClass().getSimpleName());
            return Webhooks.Response.status(503);
        }
    }

    private static JsonNode parse(byte[] body) throws Malformed {
        JsonNode root;
        try (var parser = Json.MAPPER.createParser(body)) {
            root = Json.MAPPER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new Malformed("not a Zenvia webhook event: the body holds more than one JSON document");
            }
        } catch (java.io.IOException e) {
            throw new Malformed("not a Zenvia webhook event: the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("not a Zenvia webhook event: the body is not one JSON object");
        }
        return root;
    }

    private void status(JsonNode event) throws Malformed {
        String id = text(event.path("messageId"));
        JsonNode s = event.path("messageStatus");
        String code = text(s.path("code"));
        if (id == null || code == null) {
            throw new Malformed("a Zenvia MESSAGE_STATUS event without messageId or messageStatus.code");
        }
        MessageEvents.DeliveryStatus status = switch (code) {
            case "SENT" -> MessageEvents.DeliveryStatus.SENT;
            case "DELIVERED" -> MessageEvents.DeliveryStatus.DELIVERED;
            case "READ" -> MessageEvents.DeliveryStatus.READ;
            case "NOT_DELIVERED", "REJECTED" -> MessageEvents.DeliveryStatus.FAILED;
            default -> null;
        };
        if (status == null) {
            LOG.debug("{}: Zenvia status {} of {} ignored", ctx.instance(), code, id);
            return;
        }
        String reason = null;
        String details = null;
        if (status == MessageEvents.DeliveryStatus.FAILED) {
            JsonNode cause = s.path("causes").path(0);
            reason = text(cause.path("reason"));
            details = ProviderText.scrub(text(cause.path("details")));
            if (reason == null) {
                reason = code;
            }
        }
        ctx.messages().status(new MessageEvents.StatusUpdate(ctx.instance(), id, status,
                time(s.path("timestamp"), event.path("timestamp")), reason, details));
    }

    private void message(JsonNode event) throws Malformed {
        JsonNode m = event.path("message");
        String id = text(m.path("id"));
        if (id == null) {
            throw new Malformed("a Zenvia MESSAGE event without message.id");
        }
        if (!"IN".equals(m.path("direction").asText("IN"))) {
            LOG.debug("{}: Zenvia outbound message event {} ignored", ctx.instance(), id);
            return;
        }
        String digits = m.path("from").asText("").replaceAll("[^0-9]", "");
        if (digits.isEmpty() || digits.startsWith("0") || digits.length() < 8 || digits.length() > 15) {
            LOG.info("{}: Zenvia inbound message {} ignored: its sender is not a phone number", ctx.instance(), id);
            return;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode c : m.path("contents")) {
            if ("text".equals(c.path("type").asText()) && text(c.path("text")) != null) {
                texts.add(c.path("text").asText());
            }
        }
        if (texts.isEmpty()) {
            LOG.info("{}: Zenvia inbound message {} ignored: it has no text content", ctx.instance(), id);
            return;
        }
        ctx.messages().reply(new MessageEvents.PatientReply(ctx.instance(), id, "+" + digits, null,
                String.join("\n", texts), null, time(event.path("timestamp"), m.path("timestamp"))));
    }

    /** The first readable ISO-8601 instant of the candidates, else the hub's clock. */
    private Instant time(JsonNode... candidates) {
        for (JsonNode c : candidates) {
            String t = text(c);
            if (t != null) {
                try {
                    return OffsetDateTime.parse(t).toInstant();
                } catch (DateTimeParseException unreadable) {
                    // next candidate
                }
            }
        }
        return ctx.clock().instant();
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
