package dev.ponte.connectors.httpwebhook;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ponte.spi.Connector;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.RemoteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** The example connector passes the kit: this file is all an integrator writes besides the connector. */
class HttpWebhookAcceptanceIT extends ConnectorAcceptanceTest {

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
        return Map.of("url", "http://127.0.0.1:" + port + "/ponte", "signing-secret", "kit-signing-S3cret",
                "timeout", "2s");
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
}
