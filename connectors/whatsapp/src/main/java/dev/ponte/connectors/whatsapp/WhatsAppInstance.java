package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.SendRate;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.Sink;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * One whatsapp instance: its Graph API client, sink, throughput, token status and webhook. In sandbox mode nothing is
 * sent to Meta and the webhook is not served (no message went out, so there is nothing to hear back), as the other
 * connectors read nothing in sandbox mode.
 */
final class WhatsAppInstance implements ConnectorInstance {

    private final ConnectorContext ctx;
    private final GraphApi api;
    private final CredentialStatus token;
    private final MessageSink sink;

    WhatsAppInstance(ConnectorContext ctx) {
        this.ctx = ctx;
        this.api = new GraphApi(ctx.config());
        this.token = new CredentialStatus("access token rejected (190): renew " + ctx.config().fullKey("access-token"));
        SendRate throughput = SendRate.realTime(ctx.config().integer("messages-per-second"));
        this.sink = new MessageSink(ctx, api, throughput, token);
        if (!ctx.config().sandbox()) {
            ctx.webhooks().register(ctx.config().string("webhook-path"), Set.of("GET", "POST"),
                    new WebhookEndpoint(ctx, new Signatures(ctx.config().string("app-secret"),
                            ctx.config().string("verify-token"))));
        }
    }

    @Override
    public Sink sink() {
        return sink;
    }

    /**
     * Reads the phone number's id with the token ({@link GraphApi#probe()}): UP when Meta answers it; DOWN when Meta
     * is unreachable, refuses the token (then with {@link CredentialStatus#reason()}, as after a send refused with 190)
     * or answers otherwise. A success clears an earlier token rejection.
     */
    @Override
    public Health health() {
        if (ctx.config().sandbox()) {
            return Health.up("sandbox: messages are recorded, not sent to WhatsApp");
        }
        String where = "WhatsApp Cloud API at " + api.host();
        try {
            HttpResponse<String> r = api.probe();
            if (r.statusCode() / 100 == 2) {
                token.accepted();
                return Health.up(where + " answers for " + ctx.config().fullKey("phone-number-id"));
            }
            GraphErrors.GraphError e = GraphErrors.GraphError.parse(r.body());
            if (GraphErrors.tokenRejected(r.statusCode(), e)) {
                token.rejected();
                return Health.down(token.reason());
            }
            return Health.down(where + " answered HTTP " + r.statusCode() + (e == null ? "" : " (" + e.describe()
                    + ")") + " for the phone number: check " + ctx.config().fullKey("phone-number-id") + " and the "
                    + "token's permissions");
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
