package dev.ponte.connectors.sms;

import dev.ponte.spi.MessageEvents;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RecordingMessageEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The twilio webhook through the hub's real HTTP server ({@link KitHub#httpUrl()}), signed as Twilio signs it for the
 * public callback URL ({@code public-url} + {@code webhook-path}, not the local address the test calls): statuses and
 * inbound messages reported to the hub's {@link MessageEvents}, forged callbacks refused before anything is read, and
 * a hub that cannot record them asking Twilio to send them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwilioWebhookIT {

    @TempDir
    static Path work;
    private TwilioStandIn twilio;
    private KitHub hub;
    private String url;

    @BeforeAll
    void start() throws Exception {
        twilio = new TwilioStandIn();
        twilio.accepts(1);
        hub = KitHub.start(new SmsConnector(), twilio.config(), false, work.resolve("hub"));
        url = hub.httpUrl() + TwilioStandIn.PATH;
    }

    @AfterAll
    void stop() throws Exception {
        hub.close();
        twilio.close();
    }

    private RecordingMessageEvents events() {
        return hub.messageEvents();
    }

    // ---- status callbacks ----------------------------------------------------------------------------------

    @Test
    void aSignedDeliveredCallbackIsApplied() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> r = Twilio.postSigned(url, Twilio.status("SM-D-1", "delivered", null));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(events().statuses()).filteredOn(s -> s.externalId().equals("SM-D-1")).singleElement()
                .satisfies(s -> {
                    assertThat(s.connector()).isEqualTo(KitHub.INSTANCE);
                    assertThat(s.status()).isEqualTo(MessageEvents.DeliveryStatus.DELIVERED);
                    assertThat(s.at()).isBetween(before, Instant.now());
                    assertThat(s.errorCode()).isNull();
                });
    }

    @Test
    void eachStatusIsMappedAndTheIntermediateOnesAreIgnored() throws Exception {
        for (String s : new String[] {"queued", "accepted", "sending", "scheduled", "sent", "delivered", "read"}) {
            assertThat(Twilio.postSigned(url, Twilio.status("SM-M-1", s, null)).statusCode()).as(s).isEqualTo(200);
        }
        assertThat(Twilio.postSigned(url, Twilio.status("SM-M-2", "undelivered", "30003")).statusCode())
                .isEqualTo(200);
        assertThat(Twilio.postSigned(url, Twilio.status("SM-M-3", "failed", "30006")).statusCode()).isEqualTo(200);
        assertThat(events().statuses()).filteredOn(s -> s.externalId().startsWith("SM-M-"))
                .extracting(s -> s.externalId() + " " + s.status() + " " + s.errorCode() + " " + s.errorTitle())
                .containsExactly("SM-M-1 SENT null null", "SM-M-1 DELIVERED null null", "SM-M-1 READ null null",
                        "SM-M-2 FAILED 30003 unreachable destination handset",
                        "SM-M-3 FAILED 30006 landline or unreachable carrier");
    }

    // ---- forgeries -----------------------------------------------------------------------------------------

    Stream<Arguments> forgeries() throws Exception {
        Map<String, String> genuine = Twilio.status("SM-F-1", "failed", "30005");
        String good = Twilio.signature(TwilioStandIn.AUTH_TOKEN, TwilioStandIn.CALLBACK_URL, genuine);
        Map<String, String> changed = new TreeMap<>(genuine);
        changed.put("MessageStatus", "delivered");
        Map<String, String> added = new TreeMap<>(genuine);
        added.put("Extra", "1");
        return Stream.of(
                Arguments.of("no signature", Twilio.form(genuine), null),
                Arguments.of("an empty signature", Twilio.form(genuine), ""),
                Arguments.of("a wrong signature", Twilio.form(genuine), "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
                Arguments.of("signed with another token", Twilio.form(genuine),
                        Twilio.signature("another-auth-token-0123456789", TwilioStandIn.CALLBACK_URL, genuine)),
                Arguments.of("signed for another URL", Twilio.form(genuine),
                        Twilio.signature(TwilioStandIn.AUTH_TOKEN, "https://evil.example/webhooks/sms/kit", genuine)),
                Arguments.of("a valid signature, MessageStatus changed", Twilio.form(changed), good),
                Arguments.of("a valid signature, a parameter added", Twilio.form(added), good),
                Arguments.of("a valid signature with one character changed", Twilio.form(genuine),
                        (good.charAt(0) == 'A' ? "B" : "A") + good.substring(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void aForgedCallbackIsRefusedAndNothingChanges(String why, String body, String signature) throws Exception {
        int statuses = events().statuses().size();
        int replies = events().replies().size();
        HttpResponse<String> r = Twilio.post(url, body, signature);
        assertThat(r.statusCode()).as(why).isEqualTo(403);
        assertThat(r.body()).isEmpty();
        assertThat(events().statuses()).hasSize(statuses);
        assertThat(events().replies()).hasSize(replies);
        assertThat(events().statuses()).noneMatch(s -> s.externalId().equals("SM-F-1"));
    }

    @Test
    void aBodyThatDoesNotDecodeIsRefusedAndNothingIsRecorded() throws Exception {
        // the hub's HTTP server decodes forms before the handler; what it cannot decode is not signed by Twilio
        int statuses = events().statuses().size();
        HttpResponse<String> r = Twilio.post(url, "MessageSid=SM-X&MessageStatus=%G1", "anything");
        assertThat(r.statusCode()).isIn(400, 403);
        assertThat(events().statuses()).hasSize(statuses);
    }

    // ---- inbound messages ----------------------------------------------------------------------------------

    @Test
    void aSignedInboundMessageIsRecordedAsAReplyAndAnsweredWithEmptyTwiml() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> r = Twilio.postSigned(url, Twilio.inbound("SM-IN-1", "+5511987654321",
                "Sim, confirmo a sessão ✓"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "text/xml"));
        assertThat(r.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(events().replies()).filteredOn(p -> p.providerId().equals("SM-IN-1")).singleElement()
                .satisfies(p -> {
                    assertThat(p).usingRecursiveComparison().ignoringFields("at").isEqualTo(
                            new MessageEvents.PatientReply(KitHub.INSTANCE, "SM-IN-1", "+5511987654321", null,
                                    "Sim, confirmo a sessão ✓", null, Instant.EPOCH));
                    assertThat(p.at()).isBetween(before, Instant.now());
                });
    }

    // ---- the hub cannot record -----------------------------------------------------------------------------

    @Test
    void whenTheHubCannotRecordACallbackTwilioIsAskedToSendItAgain() throws Exception {
        Map<String, String> callback = Twilio.status("SM-R-1", "delivered", null);
        Map<String, String> inbound = Twilio.inbound("SM-R-IN", "+5511987654321", "1");
        events().failWith(new IllegalStateException("database unavailable"));
        try {
            assertThat(Twilio.postSigned(url, callback).statusCode()).isEqualTo(503);
            assertThat(Twilio.postSigned(url, inbound).statusCode()).isEqualTo(503);
        } finally {
            events().failWith(null);
        }
        assertThat(events().statuses()).noneMatch(s -> s.externalId().equals("SM-R-1"));
        assertThat(Twilio.postSigned(url, callback).statusCode()).as("Twilio's retry").isEqualTo(200);
        assertThat(Twilio.postSigned(url, inbound).statusCode()).as("Twilio's retry").isEqualTo(200);
        assertThat(events().statuses()).filteredOn(s -> s.externalId().equals("SM-R-1")).hasSize(1);
        assertThat(events().replies()).filteredOn(p -> p.providerId().equals("SM-R-IN")).hasSize(1);
    }

    @Test
    void onlyPostIsServed() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }
}
