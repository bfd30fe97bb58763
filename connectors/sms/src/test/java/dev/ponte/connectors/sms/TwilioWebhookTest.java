package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Webhooks;
import dev.ponte.testkit.RecordingMessageEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TwilioWebhook} called directly with requests the hub's HTTP server would not pass as they are (a body that
 * is not a form), and its parameter rules.
 */
class TwilioWebhookTest {

    @TempDir
    Path work;

    private final RecordingMessageEvents events = new RecordingMessageEvents();

    private TwilioWebhook webhook() {
        Map<String, String> options = Map.of("provider", "twilio", "account-sid", TwilioStandIn.ACCOUNT_SID,
                "auth-token", TwilioStandIn.AUTH_TOKEN, "from", TwilioStandIn.FROM, "public-url",
                TwilioStandIn.PUBLIC_URL);
        ConnectorContext ctx = new ConnectorContext(HttpProviders.config(options, false, work), work, null, null,
                null, null, null, null, Clock.systemUTC(), (p, m, h) -> { }, events);
        return new TwilioWebhook(ctx, new TwilioSignature(TwilioStandIn.AUTH_TOKEN), TwilioStandIn.CALLBACK_URL);
    }

    private static Webhooks.Request post(String body, String signature) {
        return new Webhooks.Request("POST", TwilioStandIn.PATH, signature == null ? Map.of()
                : Map.of("X-Twilio-Signature", signature), Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedBodyThatIsNotAFormIsRefusedWith400AndNothingIsReported() {
        Webhooks.Response r = webhook().handle(post("MessageSid=SM-X&MessageStatus=%G1", "c2lnbmF0dXJl"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("not a Twilio webhook");
        assertThat(events.statuses()).isEmpty();
    }

    @Test
    void aSignedCallbackWithoutMessageSidOrAnInboundWithoutBodyIsIgnored() throws Exception {
        Map<String, String> noSid = Map.of("MessageStatus", "delivered");
        Map<String, String> noBody = Map.of("MessageSid", "SM-NB", "From", "+5511987654321");
        for (Map<String, String> p : java.util.List.of(noSid, noBody)) {
            Webhooks.Response r = webhook().handle(post(Twilio.form(p), Twilio.signature(TwilioStandIn.AUTH_TOKEN,
                    TwilioStandIn.CALLBACK_URL, p)));
            assertThat(r.status()).as(p.toString()).isEqualTo(200);
        }
        assertThat(events.statuses()).isEmpty();
        assertThat(events.replies()).isEmpty();
    }

    @Test
    void anInboundMessageFromANonE164SenderIsNotReported() throws Exception {
        Map<String, String> p = Twilio.inbound("SM-WA", "whatsapp:+5511987654321", "sim");
        Webhooks.Response r = webhook().handle(post(Twilio.form(p), Twilio.signature(TwilioStandIn.AUTH_TOKEN,
                TwilioStandIn.CALLBACK_URL, p)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TwilioWebhook.EMPTY_TWIML);
        assertThat(events.replies()).isEmpty();
    }
}
