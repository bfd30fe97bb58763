package dev.ponte.connectors.sms;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.SendRate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Health;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * {@code provider=zenvia}: the SMS channel of Zenvia's API v2 ({@link ZenviaApi}).
 * <ul>
 *   <li>send: one {@code POST /v2/channels/sms/messages} per message, {@code {"from": <from>, "to": <the recipient's
 *       digits, without +>, "contents": [{"type": "text", "text": …}], "externalId": <the hub's message id>}}; 200 or
 *       201 gives {@link Sink.Delivery} with Zenvia's message {@code id} (what its status events name) and
 *       {@code sent to Zenvia}; Zenvia does not say how many segments it billed. Failures as {@link ZenviaErrors}
 *       classifies them; an I/O error before any answer is retried. At most {@code messages-per-second} sends per
 *       second ({@link SendRate});</li>
 *   <li>events: {@link ZenviaWebhook} on {@code webhook-path}, authenticated by the {@code X-Ponte-Token} header the
 *       admin puts in the subscriptions (documented there);</li>
 *   <li>sandbox mode: the same request, without the {@code X-API-TOKEN} header, handed to the sandbox recorder;
 *       nothing is sent and no webhook is served;</li>
 *   <li>health: lists the subscriptions ({@code GET /v2/subscriptions}), a cheap call that needs the token.</li>
 * </ul>
 */
final class ZenviaProvider implements SmsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ZenviaProvider.class);

    private final ConnectorContext ctx;
    private final ProviderHttp api;
    private final SendRate throttle;
    private final CredentialStatus token;

    private ZenviaProvider(ConnectorContext ctx, ProviderHttp api, SendRate throttle) {
        this.ctx = ctx;
        this.api = api;
        this.throttle = throttle;
        this.token = new CredentialStatus("Zenvia refused the API token (HTTP 401/403): renew "
                + ctx.config().fullKey("api-token") + " (Zenvia console > Developers > Tokens, with the SMS channel), "
                + "then restart the hub");
    }

    /** Opens the provider of an instance and, unless in sandbox mode, registers its webhook. */
    static ZenviaProvider open(ConnectorContext ctx) {
        ZenviaProvider p = new ZenviaProvider(ctx, ZenviaApi.open(ctx.config()),
                SendRate.realTime(ctx.config().integer("messages-per-second")));
        if (!ctx.config().sandbox()) {
            ctx.webhooks().register(ctx.config().string("webhook-path"), Set.of("POST"),
                    new ZenviaWebhook(ctx, ctx.config().string("webhook-token")));
        }
        return p;
    }

    /** The JSON body of a message. */
    String body(OutboundMessage m) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("from", ctx.config().string("from"))
                .put("to", m.recipient().replaceAll("[^0-9]", ""));
        root.putArray("contents").addObject().put("type", "text").put("text",
                SmsText.text(m.text(), ctx.config().bool("transliterate")));
        root.put("externalId", m.messageId());
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    @Override
    public Sink.Delivery send(OutboundCommand command, OutboundMessage message) throws Exception {
        String what = "message " + message.messageId();
        String body = body(message);
        if (ctx.config().sandbox()) {
            ctx.sandbox().record(ctx.instance(), command.businessKey(), "POST", api.messagesUri().toString(),
                    api.headers(), body);
            return new Sink.Delivery(null, "recorded (sandbox)", null);
        }
        throttle.acquire();
        HttpResponse<String> response;
        try {
            response = api.postMessage(body);
        } catch (IOException e) { // refused, reset, timed out: retried
            throw HttpStatusPolicy.ioFailure(e, "Zenvia: send " + what + " to " + api.host());
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw ZenviaErrors.failure(status, response.body(), response.headers().firstValue("Retry-After")
                    .orElse(null), ctx.clock(), "send " + what, token);
        }
        token.accepted();
        String id = messageId(response.body());
        if (id == null) {
            LOG.warn("{}: Zenvia accepted {} without a message id: its status events cannot be matched",
                    ctx.instance(), what);
        }
        // Zenvia's answer gives no segment count: the hub counts them as the SMSC would (what the clinic is billed)
        SmsText.Encoded encoded = SmsText.encode(message.text(), ctx.config().bool("transliterate"), 0);
        return new Sink.Delivery(id, "sent to Zenvia, " + encoded.describe() + " (counted by the hub)",
                encoded.segments().size());
    }

    /** {@code id} of Zenvia's answer, or {@code null}. */
    static String messageId(String body) {
        try {
            JsonNode id = Json.MAPPER.readTree(body == null ? "" : body).path("id");
            return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    @Override
    public Health health() {
        if (ctx.config().sandbox()) {
            return Health.up("sandbox: messages are recorded, not sent to Zenvia");
        }
        String where = "Zenvia at " + api.host();
        try {
            HttpResponse<String> r = api.probe();
            if (r.statusCode() / 100 == 2) {
                token.accepted();
                return Health.up(where + " accepts " + ctx.config().fullKey("api-token"));
            }
            if (ZenviaErrors.tokenRejected(r.statusCode())) {
                token.rejected();
                return Health.down(token.reason());
            }
            ZenviaErrors.ZenviaError e = ZenviaErrors.ZenviaError.parse(r.body());
            return Health.down(where + " answered HTTP " + r.statusCode() + (e == null ? "" : " (" + e.describe()
                    + ")") + " to the health check (GET /v2/subscriptions)");
        } catch (IOException e) {
            return Health.down((token.isRejected() ? token.reason() + "; " : "") + where + " is unreachable ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(where + ": the health check was interrupted");
        } catch (RuntimeException e) {
            return Health.down(where + " could not be checked (" + e.getClass().getSimpleName() + ")");
        }
    }
}
