package dev.ponte.connectors.whatsapp;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink against a WireMock stand-in of the Graph API, called directly: the request bodies Meta documents, each
 * error code's class and message, the token's effect on health, timeouts, and the throughput cap.
 */
class WhatsAppSinkIT {

    private static final String TO = SampleCommands.PATIENT_PHONE.substring(1);

    @TempDir
    Path work;
    private GraphStandIn graph;
    private ConnectorInstance instance;

    @BeforeEach
    void start() throws Exception {
        graph = new GraphStandIn();
        instance = Instances.open(graph.config(), work);
    }

    @AfterEach
    void stop() {
        instance.close();
        graph.close();
    }

    private Sink sink() {
        return instance.sink();
    }

    private void metaAnswers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        graph.server.stubFor(post(urlPathEqualTo(GraphStandIn.MESSAGES)).willReturn(answer));
    }

    // ---- requests -------------------------------------------------------------------------------------------

    @Test
    void aMessageWithATemplateFormIsSentAsThatTemplateWithItsParametersAndButtons() throws Exception {
        graph.accepts();
        Sink.Delivery d = sink().deliver(Messages.template());
        assertThat(d).isEqualTo(new Sink.Delivery(GraphStandIn.WAMID, "template sent"));
        graph.server.verify(postRequestedFor(urlPathEqualTo(GraphStandIn.MESSAGES))
                .withHeader("Authorization", equalTo("Bearer " + GraphStandIn.ACCESS_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"messaging_product":"whatsapp","recipient_type":"individual","to":"%s","type":"template",
                         "template":{"name":"lembrete_consulta","language":{"code":"pt_BR"},"components":[
                           {"type":"body","parameters":[{"type":"text","text":"Ana"},
                             {"type":"text","text":"Laser facial"},{"type":"text","text":"01/12 às 10:00"}]},
                           {"type":"button","sub_type":"quick_reply","index":"0",
                            "parameters":[{"type":"payload","payload":"CONFIRM"}]},
                           {"type":"button","sub_type":"quick_reply","index":"1",
                            "parameters":[{"type":"payload","payload":"CANCEL"}]}]}}""".formatted(TO))));
    }

    @Test
    void aMessageWithoutATemplateFormIsSentAsASessionText() throws Exception {
        graph.accepts();
        Sink.Delivery d = sink().deliver(Messages.text());
        assertThat(d).isEqualTo(new Sink.Delivery(GraphStandIn.WAMID, "text sent"));
        graph.server.verify(postRequestedFor(urlPathEqualTo(GraphStandIn.MESSAGES)).withRequestBody(equalToJson(
                "{\"messaging_product\":\"whatsapp\",\"to\":\"" + TO + "\",\"type\":\"text\",\"text\":"
                        + "{\"preview_url\":false,\"body\":\"" + Messages.TEXT + "\"}}")));
    }

    // ---- Meta's error codes ---------------------------------------------------------------------------------

    @Test
    void throughputAndPairRateLimitsAreRetriedWithMetasRetryAfter() {
        metaAnswers(GraphStandIn.error(400, 130429, "OAuthException", "(#130429) Rate limit hit")
                .withHeader("Retry-After", "7"));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOfSatisfying(
                RetriableDeliveryException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.getMessage()).contains("130429", "ponte.connectors.kit.messages-per-second");
                    assertNoPersonalDataOrSecret(e);
                });
        metaAnswers(GraphStandIn.error(400, 131056, "OAuthException", "(#131056) (Business Account, Consumer "
                + "Account) pair rate limit hit"));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOfSatisfying(
                RetriableDeliveryException.class, e -> {
                    assertThat(e.retryAfter()).isNull();
                    assertThat(e.getMessage()).contains("131056", "pair rate limit");
                    assertNoPersonalDataOrSecret(e);
                });
    }

    @Test
    void aTextOutsideThe24HourWindowIsPermanentSoThatTheHubTriesTheNextChannel() {
        metaAnswers(GraphStandIn.error(400, 131047, "OAuthException", "(#131047) Re-engagement message"));
        assertThatThrownBy(() -> sink().deliver(Messages.text())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("131047", "outside the 24-hour window", "template",
                            "next channel");
                    assertNoPersonalDataOrSecret(e);
                });
        assertThat(instance.health().up()).as("the token is fine").isTrue();
    }

    @Test
    void anUndeliverableMessageIsPermanentSoThatTheHubTriesTheNextChannel() {
        metaAnswers(GraphStandIn.error(400, 131026, "OAuthException", "(#131026) Message Undeliverable."));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("131026", "undeliverable", "next channel");
                    assertNoPersonalDataOrSecret(e);
                });
    }

    @Test
    void aRejectedTokenIsPermanentAndTurnsHealthDownUntilACallSucceeds() throws Exception {
        assertThat(instance.health().up()).isTrue();
        var expired = GraphStandIn.error(401, 190, "OAuthException", "Error validating access token: Session has "
                + "expired");
        metaAnswers(expired);
        graph.server.stubFor(get(urlPathEqualTo(GraphStandIn.NODE)).willReturn(expired));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("access token rejected (190): renew "
                            + "ponte.connectors.kit.access-token");
                    assertNoPersonalDataOrSecret(e);
                });
        assertThat(instance.health()).satisfies(h -> {
            assertThat(h.up()).isFalse();
            assertThat(h.detail()).isEqualTo("access token rejected (190): renew ponte.connectors.kit.access-token");
        });
        graph.accepts();
        graph.probeAnswers();
        assertThat(sink().deliver(Messages.template()).externalId()).isEqualTo(GraphStandIn.WAMID);
        assertThat(instance.health().up()).as("UP again after a call succeeded").isTrue();
    }

    @Test
    void anHttp401IsARejectedTokenWhateverTheCode() {
        metaAnswers(GraphStandIn.error(401, 0, "OAuthException", "(#0) AuthException"));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("renew ponte.connectors.kit.access-token");
    }

    @Test
    void anotherOAuthExceptionIsAPermanentRefusalThatLeavesTheTokenAlone() {
        // Meta labels most Cloud API errors OAuthException: the type alone does not mean the token was refused
        metaAnswers(GraphStandIn.error(400, 131030, "OAuthException", "(#131030) Recipient phone number not in "
                + "allowed list"));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("code 131030", "fbtrace_id AbCdEf-kit_123", "replay")
                            .doesNotContain("allowed list");
                    assertNoPersonalDataOrSecret(e);
                });
        assertThat(instance.health().up()).as("the token was not refused").isTrue();
    }

    @Test
    void serverErrorsResetsAndTimeoutsAreRetried() throws Exception {
        metaAnswers(GraphStandIn.error(500, 1, "OAuthException", "An unknown error occurred"));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("HTTP 500");
        metaAnswers(aResponse().withStatus(503));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("HTTP 503");
        metaAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThatThrownBy(() -> sink().deliver(Messages.template())).isInstanceOf(RetriableDeliveryException.class);

        Map<String, String> quick = new LinkedHashMap<>(graph.config());
        quick.put("timeout", "300ms");
        try (ConnectorInstance impatient = Instances.open(quick, work)) {
            metaAnswers(GraphStandIn.accepted().withFixedDelay(1500));
            assertThatThrownBy(() -> impatient.sink().deliver(Messages.template()))
                    .isInstanceOf(RetriableDeliveryException.class).hasCauseInstanceOf(HttpTimeoutException.class);
        }
        graph.server.stop();
        assertThatThrownBy(() -> sink().deliver(Messages.template())).as("connection refused")
                .isInstanceOf(RetriableDeliveryException.class);
    }

    @Test
    void aRecipientWithoutDigitsIsRefusedWithoutACall() {
        graph.accepts();
        OutboundCommand c = Messages.command(new dev.ponte.spi.OutboundMessage("m-1", "WHATSAPP", "ana@example",
                "reminder", "pt-BR", null, "x", null));
        assertThatThrownBy(() -> sink().deliver(c)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("recipient");
        assertThat(graph.messagePosts()).isEmpty();
    }

    // ---- throughput -----------------------------------------------------------------------------------------

    @Test
    void noMoreThanMessagesPerSecondSendsFallWithinAnySecond() throws Exception {
        Map<String, String> slow = new LinkedHashMap<>(graph.config());
        slow.put("messages-per-second", "5");
        graph.accepts();
        try (ConnectorInstance five = Instances.open(slow, work)) {
            for (int i = 0; i < 10; i++) {
                five.sink().deliver(Messages.template());
            }
        }
        List<Long> at = new ArrayList<>();
        for (ServeEvent e : graph.messagePosts()) {
            at.add(e.getRequest().getLoggedDate().getTime());
        }
        assertThat(at).hasSize(10);
        // the limiter keeps 1000 ms between a send and the fifth after it; the stand-in's clock sees them with some
        // jitter, so count in a window of 900 ms
        for (int i = 0; i < at.size(); i++) {
            long start = at.get(i);
            long within = at.stream().filter(t -> t >= start && t < start + 900).count();
            assertThat(within).as("requests within 900 ms of request " + i + " " + at).isLessThanOrEqualTo(5);
        }
        assertThat(at.get(9) - at.get(0)).as("10 sends at 5 per second span at least a second").isGreaterThan(900);
    }

    private static void assertNoPersonalDataOrSecret(Exception e) {
        assertThat(e.getMessage()).doesNotContain(TO).doesNotContain(GraphStandIn.ACCESS_TOKEN)
                .doesNotContain(Messages.TEXT).doesNotContain("Ana");
    }
}
