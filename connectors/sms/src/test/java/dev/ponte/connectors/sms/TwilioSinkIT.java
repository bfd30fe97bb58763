package dev.ponte.connectors.sms;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The twilio provider's sends against a WireMock stand-in of Twilio's REST API, called directly: the form and the
 * basic authentication as sent, the segments billed, each kind of error's class and message, the credentials' effect
 * on health, and sandbox mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwilioSinkIT {

    @TempDir
    Path work;
    private TwilioStandIn twilio;
    private ConnectorInstance instance;

    @BeforeAll
    void startTwilio() {
        twilio = new TwilioStandIn();
    }

    @AfterAll
    void stopTwilio() {
        twilio.close();
    }

    @BeforeEach
    void open() {
        twilio.server.resetAll();
        twilio.accountIs("active");
        instance = HttpProviders.open(twilio.config(), work);
    }

    @AfterEach
    void close() {
        instance.close();
    }

    private Sink sink() {
        return instance.sink();
    }

    /** The parameters of a logged form body, decoded here independently of the connector. */
    private static Map<String, String> form(ServeEvent e) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : e.getRequest().getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- requests -------------------------------------------------------------------------------------------

    @Test
    void aMessageIsPostedAsTheDocumentedFormWithBasicAuthAndItsSegmentsAreTheParts() throws Exception {
        twilio.accepts(2);
        Sink.Delivery d = sink().deliver(HttpProviders.reminder());
        assertThat(d).isEqualTo(new Sink.Delivery(TwilioStandIn.SID, "sent to Twilio", 2));
        String basic = "Basic " + Base64.getEncoder().encodeToString((TwilioStandIn.ACCOUNT_SID + ":"
                + TwilioStandIn.AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
        twilio.server.verify(postRequestedFor(urlPathEqualTo(TwilioStandIn.MESSAGES))
                .withHeader("Authorization", equalTo(basic))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
        assertThat(form(twilio.messagePosts().get(0))).containsExactly(
                Map.entry("To", SampleCommands.PATIENT_PHONE),
                Map.entry("From", TwilioStandIn.FROM),
                Map.entry("Body", HttpProviders.TEXT),
                Map.entry("StatusCallback", TwilioStandIn.CALLBACK_URL));
    }

    @Test
    void withoutAFromNumberTheMessagingServiceSends() throws Exception {
        Map<String, String> service = new LinkedHashMap<>(twilio.config());
        service.remove("from");
        service.put("messaging-service-sid", TwilioStandIn.MESSAGING_SERVICE_SID);
        service.put("public-url", TwilioStandIn.PUBLIC_URL + "/");
        twilio.accepts(1);
        try (ConnectorInstance viaService = HttpProviders.open(service, work)) {
            assertThat(viaService.sink().deliver(HttpProviders.reminder()).parts()).isEqualTo(1);
        }
        Map<String, String> sent = form(twilio.messagePosts().get(0));
        assertThat(sent).doesNotContainKey("From").containsEntry("MessagingServiceSid",
                TwilioStandIn.MESSAGING_SERVICE_SID).containsEntry("StatusCallback", TwilioStandIn.CALLBACK_URL);
    }

    @Test
    void anAnswerWithoutSegmentsHasNoParts() throws Exception {
        twilio.answers(TwilioStandIn.json(201, "{\"sid\":\"" + TwilioStandIn.SID + "\",\"status\":\"queued\"}"));
        assertThat(sink().deliver(HttpProviders.reminder())).isEqualTo(new Sink.Delivery(TwilioStandIn.SID,
                "sent to Twilio", null));
    }

    // ---- Twilio's errors ------------------------------------------------------------------------------------

    @Test
    void anInvalidOrUnreachableRecipientIsPermanentSoThatTheHubTriesTheNextChannel() {
        for (int code : new int[] {21211, 21214, 21610, 21612, 21614}) {
            twilio.answers(TwilioStandIn.error(400, code, "The 'To' number " + SampleCommands.PATIENT_PHONE
                    + " is not valid."));
            OutboundCommand c = HttpProviders.reminder();
            assertThatThrownBy(() -> sink().deliver(c)).as("code " + code).isInstanceOfSatisfying(
                    PermanentDeliveryException.class, e -> {
                        assertThat(e.getMessage()).contains("code " + code, "next channel",
                                HttpProviders.messageId(c), "<number>");
                        assertNoPersonalDataOrSecret(e);
                    });
        }
        assertThat(instance.health().up()).as("the credentials are fine").isTrue();
    }

    @Test
    void aRefusedAuthenticationIsRetriedAndTurnsHealthDownUntilACallSucceeds() throws Exception {
        assertThat(instance.health().up()).isTrue();
        var refused = TwilioStandIn.error(401, 20003, "Authenticate");
        twilio.answers(refused);
        twilio.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(
                TwilioStandIn.ACCOUNT)).willReturn(refused));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).isInstanceOfSatisfying(
                RetriableDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("20003", "ponte.connectors.kit.auth-token",
                            "ponte.connectors.kit.account-sid", "stays on SMS");
                    assertNoPersonalDataOrSecret(e);
                });
        assertThat(instance.health()).satisfies(h -> {
            assertThat(h.up()).isFalse();
            assertThat(h.detail()).contains("ponte.connectors.kit.auth-token", "ponte.connectors.kit.account-sid")
                    .doesNotContain(TwilioStandIn.AUTH_TOKEN);
        });
        twilio.accepts(1);
        twilio.accountIs("active");
        assertThat(sink().deliver(HttpProviders.reminder()).externalId()).isEqualTo(TwilioStandIn.SID);
        assertThat(instance.health().up()).as("UP again after a call succeeded").isTrue();
    }

    @Test
    void aBadSenderIsPermanentAndNamesTheSenderKeys() {
        twilio.answers(TwilioStandIn.error(400, 21606, "The From phone number " + TwilioStandIn.FROM
                + " is not a valid, SMS-capable inbound phone number or short code for your account."));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("21606", "ponte.connectors.kit.from",
                            "ponte.connectors.kit.messaging-service-sid");
                    assertNoPersonalDataOrSecret(e);
                });
    }

    @Test
    void anotherClientErrorIsPermanentNamingTwiliosCodeAndMessage() {
        twilio.answers(TwilioStandIn.error(400, 21617, "The concatenated message body exceeds the 1600 character "
                + "limit."));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("code 21617", "1600 character limit", "replay");
                    assertNoPersonalDataOrSecret(e);
                });
    }

    @Test
    void rateLimitsServerErrorsResetsAndRefusedConnectionsAreRetried() throws Exception {
        twilio.answers(TwilioStandIn.error(503, 20503, "Service unavailable").withHeader("Retry-After", "5"));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).isInstanceOfSatisfying(
                RetriableDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("HTTP 503");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
                });
        twilio.answers(TwilioStandIn.error(429, 20429, "Too Many Requests"));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder()))
                .isInstanceOf(RetriableDeliveryException.class).hasMessageContaining("20429");
        twilio.answers(aResponse().withStatus(500));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder()))
                .isInstanceOf(RetriableDeliveryException.class).hasMessageContaining("HTTP 500");
        twilio.answers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder()))
                .isInstanceOf(RetriableDeliveryException.class);

        Map<String, String> nowhere = new LinkedHashMap<>(twilio.config());
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere.put("base-url", "http://127.0.0.1:" + s.getLocalPort());
        }
        try (ConnectorInstance unreachable = HttpProviders.open(nowhere, work)) {
            assertThatThrownBy(() -> unreachable.sink().deliver(HttpProviders.reminder())).as("connection refused")
                    .isInstanceOf(RetriableDeliveryException.class);
            assertThat(unreachable.health()).satisfies(h -> {
                assertThat(h.up()).isFalse();
                assertThat(h.detail()).contains("unreachable");
            });
        }
    }

    @Test
    void aRecipientThatIsNotE164IsRefusedWithoutACall() {
        twilio.accepts(1);
        OutboundCommand c = HttpProviders.command(new OutboundMessage("m-1", "SMS", "11 99121-4283", "reminder",
                "pt-BR", null, "x", null));
        assertThatThrownBy(() -> sink().deliver(c)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("E.164");
        assertThat(twilio.messagePosts()).isEmpty();
    }

    // ---- health -------------------------------------------------------------------------------------------

    @Test
    void healthReadsTheAccount() {
        assertThat(instance.health()).satisfies(h -> {
            assertThat(h.up()).isTrue();
            assertThat(h.detail()).contains("ponte.connectors.kit.account-sid");
        });
        twilio.accountIs("suspended");
        assertThat(instance.health()).satisfies(h -> {
            assertThat(h.up()).isFalse();
            assertThat(h.detail()).contains("suspended");
        });
    }

    // ---- sandbox ------------------------------------------------------------------------------------------

    @Test
    void inSandboxModeTheSameRequestIsRecordedWithoutCredentialsAndNothingIsSentOrServed() throws Exception {
        List<Map<String, Object>> recorded = new ArrayList<>();
        try (ConnectorInstance sandbox = HttpProviders.open(twilio.config(), true, work,
                (i, key, method, target, headers, body) -> recorded.add(Map.of("instance", i, "key", key,
                        "method", method, "target", target, "headers", headers, "body", body)),
                (path, methods, handler) -> {
                    throw new AssertionError("no webhook in sandbox mode");
                }, null)) {
            OutboundCommand c = HttpProviders.reminder();
            assertThat(sandbox.sink().deliver(c)).isEqualTo(new Sink.Delivery(null, "recorded (sandbox)", null));
            assertThat(sandbox.health().up()).isTrue();
            assertThat(recorded).hasSize(1);
            Map<String, Object> r = recorded.get(0);
            assertThat(r).containsEntry("instance", "kit").containsEntry("key", c.businessKey())
                    .containsEntry("method", "POST").containsEntry("target", "http://127.0.0.1:"
                            + twilio.server.port() + TwilioStandIn.MESSAGES);
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) r.get("headers");
            assertThat(headers).doesNotContainKey("Authorization").containsKey("Content-Type");
            assertThat(headers.values()).noneMatch(v -> v.contains(TwilioStandIn.AUTH_TOKEN));
            assertThat((String) r.get("body")).contains("To=%2B5511991214283", "StatusCallback=");
        }
        assertThat(twilio.messagePosts()).isEmpty();
    }

    private static void assertNoPersonalDataOrSecret(Exception e) {
        assertThat(e.getMessage()).doesNotContain(HttpProviders.PATIENT_DIGITS)
                .doesNotContain(TwilioStandIn.AUTH_TOKEN).doesNotContain("Olá Ana").doesNotContain("Ana");
    }
}
