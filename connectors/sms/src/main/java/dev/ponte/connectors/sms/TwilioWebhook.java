package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The instance's Twilio webhook on {@code webhook-path} (POST): the status callbacks of the messages it sent (their
 * {@code StatusCallback}) and the messages patients send to the clinic's number (the number's or the Messaging
 * Service's "A message comes in" webhook, set by the admin to the same URL).
 * <ol>
 *   <li>Without {@code X-Twilio-Signature}: 403. A body that is not a form (a malformed escape): 400 with a plain
 *       reason. A signature that is not {@link TwilioSignature} of {@code public-url} + {@code webhook-path} (plus
 *       the query, when Twilio called with one: rebuilt from its decoded parameters sorted by name, so configure the
 *       URL without a query) and the form's parameters: 403. In these cases nothing is reported, and the WARN line
 *       names no value.</li>
 *   <li>A status callback ({@code MessageSid} and {@code MessageStatus} other than {@code received}):
 *       {@code sent} → SENT, {@code delivered} → DELIVERED, {@code read} → READ, {@code undelivered} and
 *       {@code failed} → FAILED with {@code ErrorCode} (and a few words on it, {@link TwilioErrors#title}); the
 *       intermediate {@code queued}, {@code accepted}, {@code sending}, {@code scheduled} and any other status are
 *       ignored. Twilio says nothing of when it happened: the hub's clock is the time. 200 with an empty body.</li>
 *   <li>An inbound message ({@code MessageSid} or {@code SmsSid}, {@code From} and {@code Body}): reported as a
 *       {@link MessageEvents.PatientReply} (no {@code inReplyTo}: the hub takes the last message it sent to the
 *       number), answered 200 with an empty TwiML {@code <Response/>} so that Twilio sends nothing back. A
 *       {@code From} that is not E.164 is skipped (logged without it).</li>
 *   <li>Anything else that is signed: 200, ignored (Twilio is not asked to send it again: it would be read the same
 *       way).</li>
 *   <li>When the hub cannot record it now ({@link MessageEvents} throws): 503, so that Twilio retries.</li>
 * </ol>
 * Logs kinds and counts only: never a phone number, a text, a header value or the token. Thread safe.
 */
final class TwilioWebhook implements Webhooks.Handler {

    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhook.class);
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

    private final ConnectorContext ctx;
    private final TwilioSignature signature;
    private final String url;

    /** @param url the URL Twilio signs: {@code public-url} + {@code webhook-path} */
    TwilioWebhook(ConnectorContext ctx, TwilioSignature signature, String url) {
        this.ctx = ctx;
        this.signature = signature;
        this.url = url;
    }

    @Override
    public Webhooks.Response handle(Webhooks.Request request) {
        String given = request.header(TwilioSignature.HEADER).orElse(null);
        if (given == null) {
            LOG.warn("{}: Twilio webhook refused: no {} header", ctx.instance(), TwilioSignature.HEADER);
            return Webhooks.Response.status(403);
        }
        SortedMap<String, List<String>> params;
        try {
            params = FormBody.decode(request.bodyText());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: Twilio webhook refused: the body is not an application/x-www-form-urlencoded form",
                    ctx.instance());
            return Webhooks.Response.text(400, "not a Twilio webhook: the body is not an "
                    + "application/x-www-form-urlencoded form");
        }
        if (!signature.matches(given, signedUrl(request.query()), params)) {
            LOG.warn("{}: Twilio webhook refused: {} is not the signature of {} and the parameters with {}; check "
                    + "that the URL Twilio calls is exactly {} + {}", ctx.instance(), TwilioSignature.HEADER, url,
                    ctx.config().fullKey("auth-token"), ctx.config().fullKey("public-url"),
                    ctx.config().fullKey("webhook-path"));
            return Webhooks.Response.status(403);
        }
        try {
            return dispatch(params);
        } catch (RuntimeException e) {
            LOG.warn("{}: the hub could not record a Twilio callback now ({}); answered 503 so that Twilio sends it "
                    + "again", ctx.instance(), e.getClass().getSimpleName());
            return Webhooks.Response.status(503);
        }
    }

    private Webhooks.Response dispatch(Map<String, List<String>> params) {
        String sid = FormBody.first(params, "MessageSid");
        if (sid == null) {
            sid = FormBody.first(params, "SmsSid");
        }
        String status = FormBody.first(params, "MessageStatus");
        if (sid == null || sid.isBlank()) {
            LOG.info("{}: Twilio webhook without MessageSid ignored", ctx.instance());
            return Webhooks.Response.ok();
        }
        if (status != null && !"received".equals(status)) {
            status(sid, status, FormBody.first(params, "ErrorCode"));
            return Webhooks.Response.ok();
        }
        String from = FormBody.first(params, "From");
        String body = FormBody.first(params, "Body");
        if (from == null || body == null) {
            LOG.info("{}: Twilio webhook for {} is neither a status callback nor a message with From and Body; "
                    + "ignored", ctx.instance(), sid);
            return Webhooks.Response.ok();
        }
        if (!E164.matcher(from).matches()) {
            LOG.info("{}: Twilio inbound message {} ignored: its sender is not an E.164 phone number",
                    ctx.instance(), sid);
            return twiml();
        }
        MessageEvents.Intent intent = ctx.messages().reply(new MessageEvents.PatientReply(ctx.instance(), sid, from,
                null, body, null, ctx.clock().instant()));
        LOG.debug("{}: Twilio inbound message {} recorded as {}", ctx.instance(), sid, intent);
        return twiml();
    }

    private void status(String sid, String status, String errorCode) {
        MessageEvents.DeliveryStatus s = switch (status) {
            case "sent" -> MessageEvents.DeliveryStatus.SENT;
            case "delivered" -> MessageEvents.DeliveryStatus.DELIVERED;
            case "read" -> MessageEvents.DeliveryStatus.READ;
            case "undelivered", "failed" -> MessageEvents.DeliveryStatus.FAILED;
            default -> null; // queued, accepted, sending, scheduled, canceled…: not a step the hub records
        };
        if (s == null) {
            LOG.debug("{}: Twilio status {} of {} ignored", ctx.instance(), status, sid);
            return;
        }
        boolean failed = s == MessageEvents.DeliveryStatus.FAILED;
        String code = failed && errorCode != null && !errorCode.isBlank() ? errorCode.strip() : null;
        ctx.messages().status(new MessageEvents.StatusUpdate(ctx.instance(), sid, s, ctx.clock().instant(), code,
                failed ? TwilioErrors.title(code) : null));
    }

    /** The URL Twilio signed: the configured one, plus the query when there is one. */
    private String signedUrl(Map<String, String> query) {
        if (query.isEmpty()) {
            return url;
        }
        return url + "?" + new TreeMap<>(query).entrySet().stream().map(e -> URLEncoder.encode(e.getKey(),
                StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Webhooks.Response twiml() {
        return new Webhooks.Response(200, "text/xml", EMPTY_TWIML);
    }
}
