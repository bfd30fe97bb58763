package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ponte.json.Json;
import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RemoteRequest;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** The NF-e connector passes the connector kit against a WireMock SEFAZ (SOAP 1.2), signing with a test certificate. */
class NfeAcceptanceIT extends ConnectorAcceptanceTest {

    @TempDir
    static Path keys;
    static Path certificate;
    private SefazStandIn sefaz;
    private SefazApi.Endpoints endpoints;
    private final Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = keys.resolve("clinica.p12");
        Keytool.await(Keytool.start(certificate, "clinica", Keytool.DNAME, 365));
    }

    @BeforeEach
    void startSefaz() throws Exception {
        sefaz = new SefazStandIn();
        endpoints = sefaz.endpoints();
    }

    @AfterEach
    void stopSefaz() {
        sefaz.close();
    }

    @Override
    protected Connector connector() {
        return new NfeConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        Map<String, String> c = new LinkedHashMap<>();
        c.putAll(FiscalTestKit.nfeIssuer());
        c.put("certificate", certificate.toString());
        c.put("certificate-password", Keytool.PASSWORD);
        c.put("authorization-url", endpoints.authorization().toString());
        c.put("query-url", endpoints.query().toString());
        c.put("timeout", "2s");
        return c;
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        Map<String, String> unknownState = new LinkedHashMap<>(goodConfig(workDir));
        unknownState.remove("authorization-url");
        unknownState.remove("query-url");
        unknownState.put("issuer-uf", "MG");
        Map<String, String> half = new LinkedHashMap<>(goodConfig(workDir));
        half.remove("query-url");
        return List.of(new BadConfig("a state whose web services Ponte does not know, without their URLs",
                        unknownState, Set.of("authorization-url")),
                new BadConfig("an authorization URL without the query URL", half, Set.of("authorization-url")));
    }

    @Override
    protected OutboundCommand sampleCommand() {
        String id = "nfe-1";
        ObjectNode invoice = Json.MAPPER.createObjectNode().put("id", id).put("kind", "NFE").put("chargeId", "C-901")
                .put("number", "42").put("series", "1").put("status", "PENDING")
                .put("amount", new java.math.BigDecimal("89.90")).put("issuerCnpj", Invoices.ISSUER)
                .put("recipientCpf", SampleCommands.PATIENT_CPF);
        Map<String, JsonNode> related = new LinkedHashMap<>();
        related.put("chargeId", Invoices.json("{\"id\":\"C-901\",\"patientId\":\"P-1\",\"appointmentId\":\"A-8\","
                + "\"dueDate\":\"2026-12-01\",\"amount\":89.90,\"status\":\"PAID\",\"payer\":\"PATIENT\","
                + "\"payments\":[{\"paidOn\":\"2026-12-01\",\"amount\":89.90,\"method\":\"PIX\"}]}"));
        related.put("chargeId.patientId", Invoices.json("{\"id\":\"P-1\",\"name\":\"Ana Lima Souza\",\"cpf\":\""
                + SampleCommands.PATIENT_CPF + "\",\"mobilePhone\":\"" + SampleCommands.PATIENT_PHONE + "\"}"));
        related.put("chargeId.appointmentId", Invoices.json("{\"id\":\"A-8\",\"patientId\":\"P-1\","
                + "\"procedureCode\":\"R001\",\"status\":\"ATTENDED\"}"));
        related.put("chargeId.appointmentId.procedureCode", Invoices.json("{\"code\":\"R001\",\"name\":\"Protetor "
                + "solar FPS 60\",\"kind\":\"PRODUCT\",\"price\":89.90,\"ncm\":\"33049990\"}"));
        return new OutboundCommand(UUID.randomUUID().toString(), KitHub.INSTANCE + ":invoice:" + id, "Invoice",
                OutboundCommand.Action.UPSERT, id, invoice, related, "invoice.upserted", "kit-correlation",
                UUID.randomUUID().toString(), time);
    }

    @Override
    protected void remoteAccepts() {
        sefaz.authorizesAny();
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        String state = Scenario.STARTED;
        for (int i = 0; i < times; i++) {
            sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).inScenario("t")
                    .whenScenarioStateIs(state).willSetStateTo("f" + i).willReturn(aResponse().withStatus(503)));
            state = "f" + i;
        }
        String key = "{{regexExtract request.body 'Id=\"NFe([0-9]{44})\"' 'k'}}{{k.0}}";
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).inScenario("t").whenScenarioStateIs(
                state).willReturn(SefazStandIn.authorized(key).withTransformers("response-template")));
    }

    @Override
    protected void remoteRejects() {
        String key = "{{regexExtract request.body 'Id=\"NFe([0-9]{44})\"' 'k'}}{{k.0}}";
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.rejected(key,
                "778", "Rejeição: Informado NCM inexistente").withTransformers("response-template")));
    }

    @Override
    protected int externalEffects() {
        return sefaz.issued();
    }

    @Override
    protected List<RemoteRequest> remoteRequests() {
        List<RemoteRequest> out = new ArrayList<>(sefaz.server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST"))
                .map(e -> new RemoteRequest("POST", e.getRequest().getUrl(), e.getRequest().getBodyAsString()))
                .toList());
        Collections.reverse(out);
        return out;
    }

    @Override
    protected void resetRemote() {
        sefaz.server.resetRequests();
    }

    @Override
    protected void remoteUnreachable() {
        sefaz.server.stop();
    }

    @Override
    protected void remoteReachable() {
        sefaz.server.start();
    }
}
