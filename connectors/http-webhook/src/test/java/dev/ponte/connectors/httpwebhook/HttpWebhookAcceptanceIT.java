package dev.ponte.connectors.httpwebhook;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ponte.json.Json;
import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RemoteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example connector passes the kit: this file is all an integrator writes besides the connector. */
class HttpWebhookAcceptanceIT extends ConnectorAcceptanceTest {

    /** A Standard Webhooks secret: {@code whsec_} and the base64 of the key. */
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "kit-signing-S3cret-32-bytes-long".getBytes(StandardCharsets.UTF_8));

    private WireMockServer remote;
    private int port;

    @BeforeEach
    void startRemote() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        remote = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        remote.start();
    }

    @AfterEach
    void stopRemote() {
        remote.stop();
    }

    @Override
    protected Connector connector() {
        return new HttpWebhookConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return Map.of("url", "http://127.0.0.1:" + port + "/ponte", "signing-secret", SECRET,
                "timeout", "2s");
    }

    @Override
    protected List<dev.ponte.testkit.BadConfig> badConfigs(Path workDir) {
        return List.of(new dev.ponte.testkit.BadConfig("a URL that is not HTTP, a short secret, a timeout beyond "
                + "its range", Map.of("url", "ftp://erp.example/ponte", "signing-secret", "short", "timeout", "1h"),
                java.util.Set.of("url", "signing-secret", "timeout")));
    }

    @Override
    protected void remoteAccepts() {
        remote.stubFor(post(urlPathEqualTo("/ponte")).willReturn(aResponse().withStatus(202)));
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        String state = Scenario.STARTED;
        for (int i = 0; i < times; i++) {
            remote.stubFor(post(urlPathEqualTo("/ponte")).inScenario("t").whenScenarioStateIs(state)
                    .willSetStateTo("f" + i).willReturn(aResponse().withStatus(503)));
            state = "f" + i;
        }
        remote.stubFor(post(urlPathEqualTo("/ponte")).inScenario("t").whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(202)));
    }

    @Override
    protected void remoteRejects() {
        remote.stubFor(post(urlPathEqualTo("/ponte")).willReturn(aResponse().withStatus(422)));
    }

    @Override
    protected int externalEffects() {
        return (int) remote.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() / 100 == 2).count();
    }

    @Override
    protected List<RemoteRequest> remoteRequests() {
        List<RemoteRequest> out = new ArrayList<>(remote.getAllServeEvents().stream().map(e -> new RemoteRequest(
                e.getRequest().getMethod().getName(), e.getRequest().getUrl(), e.getRequest().getBodyAsString()))
                .toList());
        Collections.reverse(out);
        return out;
    }

    @Override
    protected void resetRemote() {
        remote.resetRequests();
    }

    @Override
    protected void remoteUnreachable() {
        remote.stop();
    }

    @Override
    protected void remoteReachable() {
        remote.start();
    }

    // ---- the Standard Webhooks signature, checked the way a receiver checks it ---------------------------------

    @Test
    void aReceiverVerifiesTheSignatureAndRefusesARequestReplayedLater() throws Exception {
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            remoteFailsTransiently(1);
            OutboundCommand command = sampleCommand();
            hub.send(command);
            await("a 503 then the accepted post").atMost(Duration.ofSeconds(30)).until(() ->
                    hub.recordedEffects() == 1);
            List<LoggedRequest> posts = remote.findAll(postRequestedFor(urlPathEqualTo("/ponte")));
            assertThat(posts).as("the failed attempt and the retry").hasSizeGreaterThanOrEqualTo(2);
            assertThat(posts).as("webhook-id is the command's id, the same on every attempt")
                    .allSatisfy(r -> assertThat(r.getHeader("webhook-id")).isEqualTo(command.id()));
            for (LoggedRequest r : posts) {
                String id = r.getHeader("webhook-id");
                String timestamp = r.getHeader("webhook-timestamp");
                String signature = r.getHeader("webhook-signature");
                String body = r.getBodyAsString();
                Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
                assertThat(Duration.between(sent, Instant.now()).abs()).as("webhook-timestamp is now, in seconds")
                        .isLessThan(Duration.ofMinutes(1));
                assertThat(signature).startsWith("v1,");
                assertThat(Json.MAPPER.readTree(body)).as("the body is the command, unchanged")
                        .isEqualTo(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(command)));
                assertThat(WebhookReceiver.verify(SECRET, id, timestamp, signature, body, Instant.now()))
                        .as("the receiver accepts the request as sent").isNull();
                assertThat(WebhookReceiver.verify(SECRET, id, timestamp, signature, body.replace("}", " }"),
                        Instant.now())).as("a changed body").contains("signature");
                assertThat(WebhookReceiver.verify(SECRET, "other-id", timestamp, signature, body, Instant.now()))
                        .as("another message id").contains("signature");
                Instant later = sent.plus(Duration.ofMinutes(5)).plusSeconds(1);
                assertThat(WebhookReceiver.verify(SECRET, id, timestamp, signature, body, later))
                        .as("the captured request replayed more than 5 minutes later").contains("timestamp");
                assertThat(WebhookReceiver.verify(SECRET, id, Long.toString(later.getEpochSecond()), signature, body,
                        later)).as("replayed with a fresh timestamp: the signature no longer matches")
                        .contains("signature");
            }
        }
    }

    @Test
    void theSigningKeyIsTheDecodedWhsecSecretOrThePlainTextOfAnyOther() {
        assertThat(HttpWebhookConnector.key(SECRET)).isEqualTo("kit-signing-S3cret-32-bytes-long"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(HttpWebhookConnector.key("plain-S3cret")).isEqualTo("plain-S3cret".getBytes(StandardCharsets.UTF_8));
    }
}
