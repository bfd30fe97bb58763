package dev.ponte.connectors.sms;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.SendRate;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code provider=twilio}: Twilio's Programmable Messaging REST API ({@link TwilioApi}).
 * <ul>
 *   <li>send: one {@code POST .../Accounts/{account-sid}/Messages.json} form per message: {@code To} (E.164),
 *       {@code From} ({@code from}) or else {@code MessagingServiceSid} ({@code messaging-service-sid}), {@code Body}
 *       and {@code StatusCallback} = {@code public-url} + {@code webhook-path}. 201 gives {@link Sink.Delivery} with
 *       the message's SID ({@code SM…}, what the callbacks name), {@code sent to Twilio} and {@code num_segments}
 *       as parts. Failures as {@link TwilioErrors} classifies them; an I/O error before any answer is retried. At
 *       most {@code messages-per-second} sends per second ({@link SendRate});</li>
 *   <li>callbacks: {@link TwilioWebhook} on {@code webhook-path}, signed with the auth token;</li>
 *   <li>sandbox mode: the same request, without the {@code Authorization} header, handed to the sandbox recorder;
 *       nothing is sent, the throttle is not counted and no webhook is served (nothing went out, nothing can come
 *       back);</li>
 *   <li>health: reads the account ({@code GET .../Accounts/{account-sid}.json}).</li>
 * </ul>
 * Twilio takes no idempotency key for messages: after a crash between Twilio's answer and the hub's commit the patient
 * can receive the message twice.
 */
final class TwilioProvider implements SmsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TwilioProvider.class);

    private final ConnectorContext ctx;
    private final ProviderHttp api;
    private final SendRate throttle;
    private final CredentialStatus credentials;
    private final String statusCallback;
    private final String senderKeys;

    private TwilioProvider(ConnectorContext ctx, ProviderHttp api, SendRate throttle) {
        this.ctx = ctx;
        this.api = api;
        this.throttle = throttle;
        this.credentials = new CredentialStatus("Twilio refused the credentials (HTTP 401 / 20003): check "
                + ctx.config().fullKey("account-sid") + " and " + ctx.config().fullKey("auth-token")
                + " (Twilio Console > Account info), then restart the hub");
        this.statusCallback = ctx.config().url("public-url").toString().replaceAll("/+$", "")
                + ctx.config().string("webhook-path");
        this.senderKeys = ctx.config().fullKey("from") + " or " + ctx.config().fullKey("messaging-service-sid");
    }

    /** Opens the provider of an instance and, unless in sandbox mode, registers its webhook. */
    static TwilioProvider open(ConnectorContext ctx) {
        TwilioProvider p = new TwilioProvider(ctx, TwilioApi.open(ctx.config()),
                SendRate.realTime(ctx.config().integer("messages-per-second")));
        if (!ctx.config().sandbox()) {
            ctx.webhooks().register(ctx.config().string("webhook-path"), Set.of("POST"),
                    new TwilioWebhook(ctx, new TwilioSignature(ctx.config().string("auth-token")), p.statusCallback));
        }
        return p;
    }

    /** The message's form, in the order Twilio documents it. */
    Map<String, String> form(OutboundMessage m) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("To", m.recipient());
        if (ctx.config().has("from")) {
            f.put("From", ctx.config().string("from"));
        } else {
            f.put("MessagingServiceSid", ctx.config().string("messaging-service-sid"));
        }
        f.put("Body", SmsText.text(m.text(), ctx.config().bool("transliterate")));
        f.put("StatusCallback", statusCallback);
        return f;
    }

    @Override
    public Sink.Delivery send(OutboundCommand command, OutboundMessage message) throws Exception {
        String what = "message " + message.messageId();
        String form = FormBody.encode(form(message));
        if (ctx.config().sandbox()) {
            ctx.sandbox().record(ctx.instance(), command.businessKey(), "POST", api.messagesUri().toString(),
                    api.headers(), form);
            return new Sink.Delivery(null, "recorded (sandbox)", null);
        }
        throttle.acquire();
        HttpResponse<String> response;
        try {
            response = api.postMessage(form);
        } catch (IOException e) { // refused, reset, timed out: retried
            throw HttpStatusPolicy.ioFailure(e, "Twilio: send " + what + " to " + api.host());
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw TwilioErrors.failure(status, response.body(), response.headers().firstValue("Retry-After")
                    .orElse(null), ctx.clock(), "send " + what, credentials, senderKeys);
        }
        credentials.accepted();
        JsonNode answer = read(response.body());
        String sid = text(answer.path("sid"));
        if (sid == null) {
            LOG.warn("{}: Twilio accepted {} without a message SID: its status callbacks cannot be matched",
                    ctx.instance(), what);
        }
        return new Sink.Delivery(sid, "sent to Twilio", segments(answer.path("num_segments")));
    }

    @Override
    public Health health() {
        if (ctx.config().sandbox()) {
            return Health.up("sandbox: messages are recorded, not sent to Twilio");
        }
        String where = "Twilio at " + api.host();
        try {
            HttpResponse<String> r = api.probe();
            if (r.statusCode() / 100 == 2) {
                credentials.accepted();
                String state = text(read(r.body()).path("status"));
                if (state != null && !"active".equals(state)) {
                    return Health.down(where + ": the account of " + ctx.config().fullKey("account-sid") + " is "
                            + state + ", not active: reactivate it in the Twilio Console");
                }
                return Health.up(where + " accepts " + ctx.config().fullKey("account-sid"));
            }
            TwilioErrors.TwilioError e = TwilioErrors.TwilioError.parse(r.body());
            if (TwilioErrors.credentialsRejected(r.statusCode(), e)) {
                credentials.rejected();
                return Health.down(credentials.reason());
            }
            return Health.down(where + " answered HTTP " + r.statusCode() + (e == null ? "" : " (" + e.describe()
                    + ")") + " for the account: check " + ctx.config().fullKey("account-sid"));
        } catch (IOException e) {
            return Health.down((credentials.isRejected() ? credentials.reason() + "; " : "") + where
                    + " is unreachable (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(where + ": the health check was interrupted");
        } catch (RuntimeException e) {
            return Health.down(where + " could not be checked (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static JsonNode read(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body == null ? "" : body);
            return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
        } catch (IOException | RuntimeException notJson) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    /** {@code num_segments}: Twilio writes it as a string ({@code "2"}); {@code null} when absent or unreadable. */
    static Integer segments(JsonNode n) {
        if (n.isInt()) {
            return n.asInt();
        }
        if (n.isTextual() && n.asText().matches("[0-9]{1,4}")) {
            return Integer.parseInt(n.asText());
        }
        return null;
    }
}
