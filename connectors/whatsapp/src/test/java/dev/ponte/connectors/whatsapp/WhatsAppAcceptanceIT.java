package dev.ponte.connectors.whatsapp;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.RemoteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * whatsapp passes the connector test kit against a WireMock stand-in of the Graph API: a message command (with its
 * template form) is sent once, retried on Meta's throughput error and a reset connection, dead-lettered on a
 * refusal, recorded as is in sandbox mode; health follows the stand-in's reachability.
 */
class WhatsAppAcceptanceIT extends ConnectorAcceptanceTest {

    private GraphStandIn graph;

    @BeforeEach
    void startStandIn() throws Exception {
        graph = new GraphStandIn();
    }

    @AfterEach
    void stopStandIn() {
        graph.close();
    }

    @Override
    protected Connector connector() {
        return new WhatsAppConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return graph.config();
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        return List.of(
                new BadConfig("values of the right type outside their validators", with(Map.of(
                        "phone-number-id", "+55 11 99121-4283", "api-version", "21.0",
                        "base-url", "ftp://graph.facebook.com", "webhook-path", "webhooks/whatsapp",
                        "messages-per-second", "0", "timeout", "1h")),
                        Set.of("phone-number-id", "api-version", "base-url", "webhook-path", "messages-per-second",
                                "timeout")),
                new BadConfig("secrets too short to be Meta's", with(Map.of("access-token", "EAAshort",
                        "app-secret", "short-secret", "verify-token", "short-token")),
                        Set.of("access-token", "app-secret", "verify-token")),
                new BadConfig("more messages per second than Meta allows", with(Map.of("messages-per-second",
                        "1001")), Set.of("messages-per-second")));
    }

    private Map<String, String> with(Map<String, String> changes) {
        Map<String, String> c = new LinkedHashMap<>(graph.config());
        c.putAll(changes);
        return c;
    }

    @Override
    protected OutboundCommand sampleCommand() {
        return Messages.template();
    }

    @Override
    protected void remoteAccepts() {
        graph.accepts();
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        String state = Scenario.STARTED;
        for (int i = 0; i < times; i++) {
            String next = "failed-" + (i + 1);
            graph.server.stubFor(post(urlPathEqualTo(GraphStandIn.MESSAGES)).inScenario("transient")
                    .whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(i % 2 == 0 ? GraphStandIn.error(400, GraphErrors.THROUGHPUT, "OAuthException",
                            "(#130429) Rate limit hit") : aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            state = next;
        }
        graph.server.stubFor(post(urlPathEqualTo(GraphStandIn.MESSAGES)).inScenario("transient")
                .whenScenarioStateIs(state).willReturn(GraphStandIn.accepted()));
    }

    @Override
    protected void remoteRejects() {
        graph.server.stubFor(post(urlPathEqualTo(GraphStandIn.MESSAGES)).willReturn(GraphStandIn.error(400, 132001,
                "OAuthException", "(#132001) Template name does not exist in the translation")));
    }

    @Override
    protected int externalEffects() {
        return graph.effects();
    }

    @Override
    protected List<RemoteRequest> remoteRequests() {
        return graph.writeRequests();
    }

    @Override
    protected void resetRemote() {
        graph.server.resetRequests();
    }

    @Override
    protected void remoteUnreachable() {
        graph.server.stop();
    }

    @Override
    protected void remoteReachable() {
        graph.server.start();
    }
}
