package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.SendRate;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * Sends one {@code Message} command ({@link OutboundMessage#of}) as a Cloud API message ({@link MessagePayloads}).
 * <ul>
 *   <li>success: {@link Sink.Delivery} with Meta's message id ({@code wamid.…}, what the statuses of the webhook
 *       name) and {@code template sent} or {@code text sent};</li>
 *   <li>failure: as {@link GraphErrors} classifies it; an I/O error before any answer (refused, reset, timeout) is
 *       retried;</li>
 *   <li>sandbox mode: the same request, without the {@code Authorization} header, handed to the hub's sandbox
 *       recorder; nothing is sent and the throughput is not counted.</li>
 * </ul>
 * The Cloud API takes no idempotency key: after a crash between Meta's answer and the hub's commit the patient can
 * receive the message twice (the hub passes each business key and content once otherwise). A command that is not a
 * message is a bug of the routing (an INTERNAL dead letter), not a remote refusal.
 */
final class MessageSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(MessageSink.class);

    private final ConnectorContext ctx;
    private final GraphApi api;
    private final SendRate throughput;
    private final CredentialStatus token;
    private final GraphErrors.Settings settings;

    MessageSink(ConnectorContext ctx, GraphApi api, SendRate throughput, CredentialStatus token) {
        this.ctx = ctx;
        this.api = api;
        this.throughput = throughput;
        this.token = token;
        this.settings = new GraphErrors.Settings(ctx.config().fullKey("access-token"),
                ctx.config().fullKey("phone-number-id"), ctx.config().fullKey("messages-per-second"),
                throughput.perSecond());
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        OutboundMessage m = OutboundMessage.of(command);
        String kind = MessagePayloads.isTemplate(m) ? "template" : "text";
        String what = kind + " message " + m.messageId();
        String to = MessagePayloads.to(m.recipient());
        if (to.isEmpty()) {
            throw new PermanentDeliveryException("WhatsApp: " + what + " has no phone number as its recipient; fix "
                    + "the patient's mobile phone (E.164, e.g. +5511…), then replay the dead letter");
        }
        String body = MessagePayloads.body(m, to);
        if (ctx.config().sandbox()) {
            ctx.sandbox().record(ctx.instance(), command.businessKey(), "POST", api.messagesUri().toString(),
                    api.headers(), body);
            return new Delivery(null, kind + " recorded (sandbox)");
        }
        throughput.acquire();
        HttpResponse<String> response;
        try {
            response = api.postMessage(body);
        } catch (IOException e) { // refused, reset, timed out: retried
            throw HttpStatusPolicy.ioFailure(e, "WhatsApp: send " + what + " to " + api.host());
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw GraphErrors.failure(status, response.body(), response.headers().firstValue("Retry-After")
                    .orElse(null), ctx.clock(), "send " + what, token, settings);
        }
        token.accepted();
        String wamid = messageId(response.body());
        if (wamid == null) {
            LOG.warn("{}: WhatsApp accepted {} without a message id: its statuses cannot be matched", ctx.instance(),
                    what);
        }
        return new Delivery(wamid, kind + " sent");
    }

    /** {@code messages[0].id} of Meta's answer, or {@code null}. */
    static String messageId(String body) {
        try {
            JsonNode id = Json.MAPPER.readTree(body).path("messages").path(0).path("id");
            return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }
}
