package dev.ponte.connectors.fiscal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ponte.testkit.RemoteRequest;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stand-in of the Sefin Nacional on a fixed local port (so it can be stopped and started again), with the
 * answers of the Swagger's {@code NFSePostResponseSucesso}, {@code NFSePostResponseErro} and {@code DpsGetResponse}.
 * The NFS-e it returns carries the access key {@link #KEY}.
 */
public final class SefinStandIn implements AutoCloseable {

    public static final String KEY = IssuanceIT.KEY;
    public static final String ROOT = "/SefinNacional";

    public final WireMockServer server;
    final int port;

    public SefinStandIn() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port + ROOT;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder created() {
        return json(201, "{\"tipoAmbiente\":2,\"versaoAplicativo\":\"SefinNacional_1.4.0\","
                + "\"dataHoraProcessamento\":\"2026-12-02T10:15:31.1544276-03:00\",\"chaveAcesso\":\"" + KEY
                + "\",\"nfseXmlGZipB64\":\"" + NfseApi.gzipBase64(IssuanceIT.nfseXml()) + "\",\"alertas\":[]}");
    }

    static ResponseDefinitionBuilder rejected(String code, String text) {
        return json(400, "{\"tipoAmbiente\":2,\"erros\":[{\"Codigo\":\"" + code + "\",\"Descricao\":\"" + text
                + "\"}]}");
    }

    public void accepts() {
        server.stubFor(post(urlPathEqualTo(ROOT + "/nfse")).willReturn(created()));
    }

    public void rejects(String code, String text) {
        server.stubFor(post(urlPathEqualTo(ROOT + "/nfse")).willReturn(rejected(code, text)));
    }

    public void failsThenAccepts(int times) {
        String state = Scenario.STARTED;
        for (int i = 0; i < times; i++) {
            server.stubFor(post(urlPathEqualTo(ROOT + "/nfse")).inScenario("t").whenScenarioStateIs(state)
                    .willSetStateTo("f" + i).willReturn(json(503, "{}")));
            state = "f" + i;
        }
        server.stubFor(post(urlPathEqualTo(ROOT + "/nfse")).inScenario("t").whenScenarioStateIs(state)
                .willReturn(created()));
    }

    /** {@code POST /nfse/{KEY}/eventos} registers the cancellation (201 with the event). */
    public void cancels() {
        server.stubFor(post(urlPathEqualTo(ROOT + "/nfse/" + KEY + "/eventos")).willReturn(json(201,
                "{\"tipoAmbiente\":2,\"versaoAplicativo\":\"SefinNacional_1.4.0\",\"dataHoraProcessamento\":"
                        + "\"2026-12-02T11:00:00-03:00\",\"eventoXmlGZipB64\":\"" + NfseApi.gzipBase64("<evento/>")
                        + "\"}")));
    }

    /** {@code POST /nfse/{KEY}/eventos} refuses the cancellation with {@code code}. */
    public void refusesCancellation(String code, String text) {
        server.stubFor(post(urlPathEqualTo(ROOT + "/nfse/" + KEY + "/eventos")).willReturn(rejected(code, text)));
    }

    /** The cancellation requests the stand-in received. */
    public int cancellationRequests() {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName()
                .equals("POST") && e.getRequest().getUrl().endsWith("/eventos")).count();
    }

    /** {@code GET /dps/{id}} answers the key of {@link #KEY}, and {@code GET /nfse/{key}} the NFS-e. */
    public void knowsTheDps() {
        server.stubFor(get(urlPathMatching(ROOT + "/dps/DPS[0-9]{42}")).willReturn(json(200,
                "{\"tipoAmbiente\":2,\"chaveAcesso\":\"" + KEY + "\"}")));
        server.stubFor(get(urlPathEqualTo(ROOT + "/nfse/" + KEY)).willReturn(json(200, "{\"tipoAmbiente\":2,"
                + "\"chaveAcesso\":\"" + KEY + "\",\"nfseXmlGZipB64\":\"" + NfseApi.gzipBase64(IssuanceIT.nfseXml())
                + "\"}")));
    }

    /** POSTs that were answered 2xx: the NFS-e the authority issued. */
    public int issued() {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName()
                .equals("POST") && e.getResponse().getStatus() / 100 == 2).count();
    }

    /** {@code POST /nfse} requests (documents, not events). */
    public int posts() {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName()
                .equals("POST") && !e.getRequest().getUrl().endsWith("/eventos")).count();
    }

    /** The requests of the issuance, oldest first (health probes left out). */
    List<RemoteRequest> requests() {
        List<RemoteRequest> out = new ArrayList<>(server.getAllServeEvents().stream()
                .filter(e -> !e.getRequest().getUrl().contains(NfseInstance.PROBE_ID))
                .map(e -> new RemoteRequest(e.getRequest().getMethod().getName(), e.getRequest().getUrl(),
                        e.getRequest().getBodyAsString())).toList());
        Collections.reverse(out);
        return out;
    }

    @Override
    public void close() {
        server.stop();
    }
}
