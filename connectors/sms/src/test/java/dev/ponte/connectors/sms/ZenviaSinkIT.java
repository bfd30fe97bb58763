package dev.ponte.connectors.sms;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zenvia provider's sends against a WireMock stand-in of Zenvia's API v2, called directly: the documented body
 * and token header, each kind of error's class and message, the token's effect on health, and sandbox mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZenviaSinkIT {

    @TempDir
    Path work;
    private ZenviaStandIn zenvia;
    private ConnectorInstance instance;

    @BeforeAll
    void startZenvia() {
        zenvia = new ZenviaStandIn();
    }

    @AfterAll
    void stopZenvia() {
        zenvia.close();
    }

    @BeforeEach
    void open() {
        zenvia.server.resetAll();
        zenvia.subscriptionsAnswer();
        instance = HttpProviders.open(zenvia.config(), work);
    }

    @AfterEach
    void close() {
        instance.close();
    }

    private Sink sink() {
        return instance.sink();
    }

    @Test
    void aMessageIsPostedAsTheDocumentedJsonWithTheTokenHeader() throws Exception {
        zenvia.accepts();
        OutboundCommand c = HttpProviders.reminder();
        // 83 characters with á, ã, é: UCS-2, 2 segments of at most 67
        assertThat(sink().deliver(c)).isEqualTo(new Sink.Delivery(ZenviaStandIn.ID,
                "sent to Zenvia, 2 segment(s), UCS-2 (counted by the hub)", 2));
        String text = HttpProviders.TEXT.replace("\n", "\\n");
        zenvia.server.verify(postRequestedFor(urlPathEqualTo(ZenviaStandIn.MESSAGES))
                .withHeader("X-API-TOKEN", equalTo(ZenviaStandIn.API_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"from\":\"" + ZenviaStandIn.FROM + "\",\"to\":\""
                        + HttpProviders.PATIENT_DIGITS + "\",\"contents\":[{\"type\":\"text\",\"text\":\"" + text
                        + "\"}],\"externalId\":\"" + HttpProviders.messageId(c) + "\"}")));
    }

    @Test
    void aCreatedAnswerIsASendToo() throws Exception {
        zenvia.answers(ZenviaStandIn.json(201, "{\"id\":\"z-201\"}"));
        assertThat(sink().deliver(HttpProviders.reminder()).externalId()).isEqualTo("z-201");
    }

    @Test
    void anInvalidDestinationIsPermanentSoThatTheHubTriesTheNextChannel() {
        zenvia.answers(ZenviaStandIn.error(400, "VALIDATION_ERROR", "Invalid destination " + HttpProviders
                .PATIENT_DIGITS, "INVALID_FORMAT", "to"));
        OutboundCommand c = HttpProviders.reminder();
        assertThatThrownBy(() -> sink().deliver(c)).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.getMessage()).contains("VALIDATION_ERROR", "INVALID_FORMAT at to", "next channel",
                    HttpProviders.messageId(c), "<number>");
            assertNoPersonalDataOrSecret(e);
        });
        assertThat(instance.health().up()).as("the token is fine").isTrue();
    }

    @Test
    void anotherClientErrorIsPermanentNamingZenviasCode() {
        zenvia.answers(ZenviaStandIn.error(400, "VALIDATION_ERROR", "from must be a registered sender id",
                "INVALID_VALUE", "from"));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> {
                    assertThat(e.getMessage()).contains("INVALID_VALUE at from", "replay")
                            .doesNotContain("next channel");
                    assertNoPersonalDataOrSecret(e);
                });
    }

    @Test
    void aRefusedTokenIsRetriedAndTurnsHealthDownUntilACallSucceeds() throws Exception {
        assertThat(instance.health().up()).isTrue();
        for (int status : new int[] {401, 403}) {
            var refused = ZenviaStandIn.error(status, "AUTHENTICATION_ERROR", "Invalid token", null, null);
            zenvia.answers(refused);
            zenvia.server.stubFor(get(urlPathEqualTo(ZenviaStandIn.SUBSCRIPTIONS)).willReturn(refused));
            assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).as("HTTP " + status)
                    .isInstanceOfSatisfying(RetriableDeliveryException.class, e -> {
                        assertThat(e.getMessage()).contains("ponte.connectors.kit.api-token", "stays on SMS");
                        assertNoPersonalDataOrSecret(e);
                    });
            assertThat(instance.health()).satisfies(h -> {
                assertThat(h.up()).isFalse();
                assertThat(h.detail()).contains("ponte.connectors.kit.api-token")
                        .doesNotContain(ZenviaStandIn.API_TOKEN);
            });
        }
        zenvia.accepts();
        zenvia.subscriptionsAnswer();
        assertThat(sink().deliver(HttpProviders.reminder()).externalId()).isEqualTo(ZenviaStandIn.ID);
        assertThat(instance.health().up()).as("UP again after a call succeeded").isTrue();
        zenvia.server.verify(getRequestedFor(urlPathEqualTo(ZenviaStandIn.SUBSCRIPTIONS))
                .withHeader("X-API-TOKEN", equalTo(ZenviaStandIn.API_TOKEN)));
    }

    @Test
    void rateLimitsServerErrorsAndResetsAreRetried() {
        zenvia.answers(ZenviaStandIn.error(429, "TOO_MANY_REQUESTS", "Too many requests", null, null)
                .withHeader("Retry-After", "3"));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder())).isInstanceOfSatisfying(
                RetriableDeliveryException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
        zenvia.answers(aResponse().withStatus(502));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder()))
                .isInstanceOf(RetriableDeliveryException.class).hasMessageContaining("HTTP 502");
        zenvia.answers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThatThrownBy(() -> sink().deliver(HttpProviders.reminder()))
                .isInstanceOf(RetriableDeliveryException.class);
    }

    @Test
    void inSandboxModeTheSameRequestIsRecordedWithoutTheTokenAndNothingIsSentOrServed() throws Exception {
        List<String> recorded = new ArrayList<>();
        List<Map<String, String>> headers = new ArrayList<>();
        try (ConnectorInstance sandbox = HttpProviders.open(zenvia.config(), true, work,
                (i, key, method, target, h, body) -> {
                    recorded.add(method + " " + target + " " + body);
                    headers.add(h);
                },
                (path, methods, handler) -> {
                    throw new AssertionError("no webhook in sandbox mode");
                }, null)) {
            OutboundCommand c = HttpProviders.reminder();
            assertThat(sandbox.sink().deliver(c)).isEqualTo(new Sink.Delivery(null, "recorded (sandbox)", null));
            assertThat(recorded).singleElement().satisfies(r -> assertThat(r).startsWith("POST http://127.0.0.1:"
                    + zenvia.server.port() + ZenviaStandIn.MESSAGES + " {").contains("\"externalId\":\""
                    + HttpProviders.messageId(c) + "\""));
            assertThat(headers.get(0)).doesNotContainKey("X-API-TOKEN").containsKey("Content-Type");
            assertThat(headers.get(0).values()).noneMatch(v -> v.contains(ZenviaStandIn.API_TOKEN));
        }
        zenvia.server.verify(0, postRequestedFor(urlPathEqualTo(ZenviaStandIn.MESSAGES))
                .withHeader("X-API-TOKEN", absent()));
        assertThat(zenvia.messagePosts()).isEmpty();
    }

    private static void assertNoPersonalDataOrSecret(Exception e) {
        assertThat(e.getMessage()).doesNotContain(HttpProviders.PATIENT_DIGITS)
                .doesNotContain(ZenviaStandIn.API_TOKEN).doesNotContain("Ana");
    }
}
