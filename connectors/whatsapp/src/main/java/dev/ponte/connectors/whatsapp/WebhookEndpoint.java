package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The instance's webhook on {@code webhook-path}, as Meta calls it.
 * <ul>
 *   <li>{@code GET} (Meta verifying the callback URL): {@code hub.mode=subscribe} and {@code hub.verify_token} equal
 *       to {@code verify-token} answer 200 with {@code hub.challenge} as text; anything else 403 with an empty body
 *       (400 when the token is right but the challenge is missing);</li>
 *   <li>{@code POST} (a notification): without {@code X-Hub-Signature-256} 401; with a malformed or wrong one 403;
 *       correctly signed but not a WhatsApp notification (not one JSON document, or not
 *       {@code whatsapp_business_account} with an {@code entry} array: {@link Notifications}) 400. In these cases
 *       nothing is reported and nothing of the body is logged. Otherwise what can be read of it is reported to
 *       {@link MessageEvents}: statuses, then replies, then 200. Its changes for another phone number id are
 *       ignored (logged once at INFO with their ids) and its statuses and messages that cannot be read are
 *       skipped (logged once at WARN with where they are, never what): Meta is not asked to send it again for
 *       them, as the same body would be read the same way. When the hub cannot record what was read now, 503, so
 *       that Meta sends the notification again (both calls are idempotent, so what was reported before the failure
 *       is not reported twice).</li>
 * </ul>
 * Logs counts and reasons only: never a phone number, a text, a header value or a token (the phone number ids of
 * the clinic's account are not personal data). Thread safe.
 */
final class WebhookEndpoint implements Webhooks.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookEndpoint.class);
    /** Reasons shown at most in one log line; the others are counted. */
    private static final int REASONS_SHOWN = 3;

    private final ConnectorContext ctx;
    private final Signatures signatures;
    private final String phoneNumberId;

    WebhookEndpoint(ConnectorContext ctx, Signatures signatures) {
        this.ctx = ctx;
        this.signatures = signatures;
        this.phoneNumberId = ctx.config().string("phone-number-id");
    }

    @Override
    public Webhooks.Response handle(Webhooks.Request request) {
        return "GET".equals(request.method()) ? verify(request) : notification(request);
    }

    private Webhooks.Response verify(Webhooks.Request request) {
        String mode = request.query().get("hub.mode");
        if (!"subscribe".equals(mode) || !signatures.isVerifyToken(request.query().get("hub.verify_token"))) {
            LOG.warn("{}: WhatsApp webhook verification refused (hub.mode is not subscribe or the verify token "
                    + "does not match {})", ctx.instance(), ctx.config().fullKey("verify-token"));
            return Webhooks.Response.status(403);
        }
        String challenge = request.query().get("hub.challenge");
        if (challenge == null || challenge.isEmpty()) {
            return Webhooks.Response.status(400);
        }
        LOG.info("{}: WhatsApp webhook verified by Meta", ctx.instance());
        return Webhooks.Response.text(200, challenge);
    }

    private Webhooks.Response notification(Webhooks.Request request) {
        Signatures.Verdict verdict = signatures.verify(request.header(Signatures.HEADER), request.body());
        switch (verdict) {
            case MISSING -> {
                LOG.warn("{}: WhatsApp notification refused: no {} header", ctx.instance(), Signatures.HEADER);
                return Webhooks.Response.status(401);
            }
            case MALFORMED -> {
                LOG.warn("{}: WhatsApp notification refused: {} is not sha256=<64 lower-case hex digits>",
                        ctx.instance(), Signatures.HEADER);
                return Webhooks.Response.status(403);
            }
            case WRONG -> {
                LOG.warn("{}: WhatsApp notification refused: {} does not match the body signed with {}",
                        ctx.instance(), Signatures.HEADER, ctx.config().fullKey("app-secret"));
                return Webhooks.Response.status(403);
            }
            default -> {
                // signed by Meta: read it
            }
        }
        Notifications.Batch batch;
        try {
            batch = Notifications.parse(ctx.instance(), phoneNumberId, request.body());
        } catch (Notifications.Malformed e) {
            LOG.warn("{}: WhatsApp notification refused, nothing of it recorded: {}", ctx.instance(), e.getMessage());
            return Webhooks.Response.status(400);
        }
        int changed = 0;
        try {
            for (MessageEvents.StatusUpdate s : batch.statuses()) {
                if (ctx.messages().status(s)) {
                    changed++;
                }
            }
            for (MessageEvents.PatientReply r : batch.replies()) {
                ctx.messages().reply(r);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: the hub could not record a WhatsApp notification now ({}); answered 503 so that Meta sends "
                    + "it again", ctx.instance(), e.getClass().getSimpleName());
            return Webhooks.Response.status(503);
        }
        logSkipped(batch);
        LOG.debug("{}: WhatsApp notification: {} statuses ({} changed a message), {} replies, {} ignored, {} for "
                + "another phone number id, {} unreadable", ctx.instance(), batch.statuses().size(), changed,
                batch.replies().size(), batch.ignored(), batch.otherNumbers().size(),
                batch.unreadable().size() + batch.unreadableParts().size());
        return Webhooks.Response.ok();
    }

    /** One line per kind of what was left out of a notification that was answered 200. */
    private void logSkipped(Notifications.Batch batch) {
        if (!batch.otherNumbers().isEmpty()) {
            LOG.info("{}: WhatsApp notification: ignored {} change(s) for another phone number id ({}); this "
                    + "instance's {} is {}", ctx.instance(), batch.otherNumbers().size(),
                    String.join(", ", batch.otherNumbers().stream().distinct().toList()),
                    ctx.config().fullKey("phone-number-id"), phoneNumberId);
        }
        if (!batch.unreadable().isEmpty()) {
            LOG.warn("{}: WhatsApp notification: skipped {} unreadable status/message item(s) ({}); the rest was "
                    + "reported", ctx.instance(), batch.unreadable().size(), reasons(batch.unreadable()));
        }
        if (!batch.unreadableParts().isEmpty()) {
            LOG.warn("{}: WhatsApp notification: skipped {} unreadable entry/change part(s) ({}); the rest was "
                    + "reported", ctx.instance(), batch.unreadableParts().size(), reasons(batch.unreadableParts()));
        }
    }

    private static String reasons(List<String> all) {
        String shown = String.join("; ", all.subList(0, Math.min(all.size(), REASONS_SHOWN)));
        return all.size() > REASONS_SHOWN ? shown + "; and " + (all.size() - REASONS_SHOWN) + " more" : shown;
    }
}
