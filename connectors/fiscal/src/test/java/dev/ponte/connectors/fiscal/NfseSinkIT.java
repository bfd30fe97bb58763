package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink of {@code nfse-nacional} against a WireMock Sefin Nacional, with the <b>official</b> DPS schemas (skipped
 * with a message where {@code ../shared/schemas} or {@code PONTE_FISCAL_SCHEMAS} is absent): what is sent validates
 * and its signature verifies; authorized, rejected, lost answers with the status query before any resend.
 */
class NfseSinkIT {

    static final Instant NOW = Instant.parse("2026-12-02T13:00:00Z");

    @TempDir
    static Path keys;
    static Path certificate;
    @TempDir
    Path data;
    SefinStandIn sefin;
    ConnectorInstance instance;
    final List<String> sandboxBodies = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = keys.resolve("clinica.p12");
        Keytool.await(Keytool.startValidAt(certificate, "clinica", Keytool.DNAME, NOW));
    }

    @BeforeEach
    void start() throws Exception {
        OfficialSchemas.nfse(); // skips the class without the official set
        sefin = new SefinStandIn();
        instance = open(false, Map.of());
    }

    @AfterEach
    void stop() {
        if (sefin != null) { // null when the official schemas are absent and the test was skipped
            sefin.close();
        }
    }

    ConnectorInstance open(boolean sandbox, Map<String, String> extra) {
        Map<String, String> options = new LinkedHashMap<>(Invoices.config(sefin.baseUrl(), certificate,
                OfficialSchemas.folder()));
        options.put("timeout", "500ms");
        options.putAll(extra);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ConnectorConfigs.PREFIX + "nfse.type", NfseConnector.TYPE);
        properties.put(ConnectorConfigs.PREFIX + "nfse.sandbox", String.valueOf(sandbox));
        options.forEach((k, v) -> properties.put(ConnectorConfigs.PREFIX + "nfse." + k, v));
        ConnectorConfig config = ConnectorConfigs.validate(properties, Map.of(NfseConnector.TYPE,
                new NfseConnector()), Map.of("data-dir", data.toString())).get(0);
        ConnectorContext ctx = new ConnectorContext(config, data, null, null, null, null, null,
                (inst, key, method, target, headers, body) -> sandboxBodies.add(body),
                Clock.fixed(NOW, ZoneOffset.UTC), (path, methods, handler) -> { }, null);
        return new NfseConnector().open(ctx);
    }

    Sink sink() {
        return instance.sink();
    }

    /** The signed DPS of a POST, un-gzipped. */
    static String dps(String body) throws Exception {
        String b64 = Json.MAPPER.readTree(body).get(NfseApi.DPS_FIELD).asText();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(b64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anAuthorizedNfseGivesItsKeyBackAndIsKept() throws Exception {
        sefin.accepts();
        Sink.Delivery d = sink().deliver(Invoices.pending("inv-1", 42, NOW));

        assertThat(d.externalId()).isEqualTo(SefinStandIn.KEY);
        assertThat(d.assigned()).containsEntry("status", "AUTHORIZED").containsEntry("accessKey", SefinStandIn.KEY)
                .containsEntry("issuedAt", "2026-12-02T10:15:31.154427600-03:00");
        assertThat(d.detail()).contains("nNFSe 42").contains("DPS35503082" + Invoices.ISSUER + "00001"
                + "000000000000042").contains("sent once").doesNotContain("Ana");
        Path kept = data.resolve("fiscal/nfse/nfse/" + SefinStandIn.KEY + ".xml");
        assertThat(kept).content().contains("<nNFSe>42</nNFSe>");

        List<LoggedRequest> posts = sefin.server.findAll(postRequestedFor(urlPathEqualTo(SefinStandIn.ROOT
                + "/nfse")));
        assertThat(posts).hasSize(1);
        String sent = dps(posts.get(0).getBodyAsString());
        assertThat(OfficialSchemas.nfse().validate(sent)).as("the DPS sent, against the official schema").isEmpty();
        assertThat(DpsPreview.verify(sent.getBytes(StandardCharsets.UTF_8)).valid()).as("its signature").isTrue();
        assertThat(sent).contains("<dCompet>2026-12-01</dCompet>").contains("<cTribNac>060201</cTribNac>");
        String tampered = sent.replace("Limpeza de pele profunda", "Limpeza de pele profundA");
        assertThat(DpsPreview.verify(tampered.getBytes(StandardCharsets.UTF_8)).valid()).as("a changed byte")
                .isFalse();
    }

    @Test
    void aRejectionIsPermanentWithTheAuthoritysCodeAndText() {
        sefin.rejects("E0310", "Data de emissão da DPS posterior à data de processamento");
        assertThatThrownBy(() -> sink().deliver(Invoices.pending("inv-1", 43, NOW)))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("Invoice inv-1").hasMessageContaining("E0310")
                .hasMessageContaining("Data de emissão da DPS posterior").hasMessageContaining("correct");
    }

    @Test
    void aLostAnswerIsAskedForAndNeverPostedTwiceWhenTheAuthorityHasIt() throws Exception {
        sefin.server.stubFor(post(urlPathEqualTo(SefinStandIn.ROOT + "/nfse")).willReturn(SefinStandIn.created()
                .withFixedDelay(1500)));
        sefin.knowsTheDps();
        Sink.Delivery d = sink().deliver(Invoices.pending("inv-1", 44, NOW));
        assertThat(d.externalId()).isEqualTo(SefinStandIn.KEY);
        assertThat(d.detail()).contains("found by the status query, not sent again");
        assertThat(sefin.posts()).as("POST /nfse").isEqualTo(1);
    }

    @Test
    void aLostAnswerTheAuthorityDoesNotKnowIsSentOnceMore() throws Exception {
        sefin.server.stubFor(post(urlPathEqualTo(SefinStandIn.ROOT + "/nfse")).willReturn(SefinStandIn.created()
                .withFixedDelay(1500)));
        OutboundCommand command = Invoices.pending("inv-1", 45, NOW);
        assertThatThrownBy(() -> sink().deliver(command)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("sent once more on the next attempt");
        sefin.server.resetAll();
        sefin.accepts();
        Sink.Delivery d = sink().deliver(command);
        assertThat(d.externalId()).isEqualTo(SefinStandIn.KEY);
        assertThat(sefin.posts()).as("POST /nfse on the retry").isEqualTo(1);
    }

    @Test
    void aChargeThatMakesNoDpsIsRefusedNamingTheFieldAndNothingLeaves() {
        sefin.accepts();
        OutboundCommand good = Invoices.pending("inv-1", 46, NOW);
        Map<String, com.fasterxml.jackson.databind.JsonNode> related = new LinkedHashMap<>(good.related());
        ObjectNode patient = ((ObjectNode) related.get("chargeId.patientId")).deepCopy();
        patient.put("cpf", "123.456.789-00");
        related.put("chargeId.patientId", patient);
        OutboundCommand bad = new OutboundCommand(good.id(), good.businessKey(), good.entity(), good.action(),
                good.canonicalId(), good.data(), related, good.eventType(), good.correlationId(),
                good.causationId(), good.time());
        assertThatThrownBy(() -> sink().deliver(bad)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("Patient P-1").hasMessageContaining("cpf")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("123.456.789-00"));
        assertThat(sefin.posts()).isZero();
    }

    @Test
    void anAuthorizedInvoiceIsNotSentAgain() throws Exception {
        OutboundCommand pending = Invoices.pending("inv-1", 47, NOW);
        ObjectNode data = ((ObjectNode) pending.data()).deepCopy().put("status", "AUTHORIZED")
                .put("accessKey", SefinStandIn.KEY);
        OutboundCommand authorized = new OutboundCommand(pending.id(), pending.businessKey(), pending.entity(),
                pending.action(), pending.canonicalId(), data, pending.related(), "invoice.status-changed",
                pending.correlationId(), pending.causationId(), pending.time());
        assertThat(sink().deliver(authorized).detail()).contains("already authorized");
        assertThat(sefin.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void sandboxModeSignsAndRecordsTheSameRequestWithoutSending() throws Exception {
        sefin.accepts();
        OutboundCommand command = Invoices.pending("inv-1", 48, NOW);
        sink().deliver(command);
        String production = sefin.server.findAll(postRequestedFor(urlPathEqualTo(SefinStandIn.ROOT + "/nfse")))
                .get(0).getBodyAsString();
        sefin.server.resetAll();
        Sink.Delivery d = open(true, Map.of()).sink().deliver(command);
        assertThat(d.detail()).startsWith("sandbox: DPS");
        assertThat(sandboxBodies).containsExactly(production);
        assertThat(sefin.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aSandboxAnsweringAuthorizedAssignsAKeyOfTheNationalShapeAndSendsNothing() throws Exception {
        OutboundCommand command = Invoices.pending("inv-1", 49, NOW);
        Sink.Delivery d = open(true, Map.of("sandbox-answer", "authorized")).sink().deliver(command);
        assertThat(d.detail()).contains("answered as authorized").contains("no fiscal value");
        assertThat(d.assigned()).containsEntry("status", "AUTHORIZED").containsKey("issuedAt");
        String key = d.assigned().get("accessKey");
        assertThat(key).hasSize(50).containsOnlyDigits().startsWith("3550308" + "2" + "2");
        assertThat(open(true, Map.of("sandbox-answer", "authorized")).sink().deliver(command).assigned())
                .containsEntry("accessKey", key);
        assertThat(sandboxBodies).hasSize(2);
        assertThat(sefin.server.getAllServeEvents()).isEmpty();
        assertThat(open(true, Map.of()).sink().deliver(command).assigned()).isEmpty();
    }

    @Test
    void aSandboxAnswerOfAuthorizedIsRefusedOutsideTheSandbox() {
        assertThatThrownBy(() -> open(false, Map.of("sandbox-answer", "authorized")))
                .hasMessageContaining("ponte.connectors.nfse.sandbox-answer").hasMessageContaining("sandbox=true");
        assertThatThrownBy(() -> open(true, Map.of("sandbox-answer", "authorized", "environment", "production")))
                .hasMessageContaining("ponte.connectors.nfse.sandbox-answer").hasMessageContaining("homologation");
    }

    @Test
    void theInstanceOfAnotherCompanysCertificateDoesNotOpen() throws Exception {
        assertThatThrownBy(() -> open(false, Map.of("issuer-cnpj", "11222333000181")))
                .hasMessageContaining("ponte.connectors.nfse.certificate").hasMessageContaining("another company");
        assertThat(Files.exists(data.resolve("fiscal"))).isFalse();
    }

    static OutboundCommand cancellationOf(OutboundCommand pending) {
        ObjectNode data = ((ObjectNode) pending.data()).deepCopy().put("status", "AUTHORIZED")
                .put("accessKey", SefinStandIn.KEY).put("cancellationCode", "SERVICE_NOT_PROVIDED")
                .put("cancellationReason", "Paciente desistiu antes do procedimento");
        return new OutboundCommand(pending.id(), pending.businessKey(), pending.entity(), pending.action(),
                pending.canonicalId(), data, pending.related(), "invoice.upserted", pending.correlationId(),
                pending.causationId(), pending.time());
    }

    @Test
    void aCancellationRequestIsTheSignedEvent101101AndCancelsTheNfse() throws Exception {
        sefin.cancels();
        Sink.Delivery d = sink().deliver(cancellationOf(Invoices.pending("inv-1", 49, NOW)));
        assertThat(d.assigned()).containsExactly(Map.entry("status", "CANCELLED"));
        assertThat(d.detail()).contains("NFS-e cancelled (event 101101");
        List<LoggedRequest> posts = sefin.server.findAll(postRequestedFor(urlPathEqualTo(SefinStandIn.ROOT
                + "/nfse/" + SefinStandIn.KEY + "/eventos")));
        assertThat(posts).hasSize(1);
        String b64 = Json.MAPPER.readTree(posts.get(0).getBodyAsString()).get(NfseApi.EVENT_FIELD).asText();
        String sent;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(b64)))) {
            sent = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        FiscalSchemas events = FiscalSchemas.nfseEvents(OfficialSchemas.folder(), "schemas");
        assertThat(events.validate(sent)).as("against the official pedRegEvento_v1.00.xsd").isEmpty();
        assertThat(DpsPreview.verify(sent.getBytes(StandardCharsets.UTF_8)).valid()).isTrue();
        assertThat(sent).contains("<infPedReg Id=\"PRE" + SefinStandIn.KEY + "101101001\">")
                .contains("<tpAmb>2</tpAmb>").contains("<CNPJAutor>" + Invoices.ISSUER + "</CNPJAutor>")
                .contains("<cMotivo>2</cMotivo>").contains("<xMotivo>Paciente desistiu antes do procedimento");
    }

    @Test
    void withLayout101TheDpsAndTheCancellationSentAre101() throws Exception {
        Path folder101 = OfficialSchemas.nfse101().folder(); // skips without the official 1.01 set
        ConnectorInstance v101 = open(false, Map.of("layout", "1.01", "schemas", folder101.toString(),
                "nbs-code", DpsLayout101Test.NBS, "ibs-cbs-operation-code", "100301", "ibs-cbs-cst", "000",
                "ibs-cbs-class", "000001"));
        sefin.accepts();
        v101.sink().deliver(Invoices.pending("inv-1", 42, NOW));
        List<LoggedRequest> posts = sefin.server.findAll(postRequestedFor(urlPathEqualTo(SefinStandIn.ROOT
                + "/nfse")));
        assertThat(posts).hasSize(1);
        String sent = dps(posts.get(0).getBodyAsString());
        assertThat(OfficialSchemas.nfse101().validate(sent)).as("the DPS sent, against DPS_v1.01.xsd").isEmpty();
        assertThat(DpsPreview.verify(sent.getBytes(StandardCharsets.UTF_8)).valid()).as("its signature").isTrue();
        assertThat(sent).contains("versao=\"1.01\"", "<cNBS>" + DpsLayout101Test.NBS + "</cNBS>",
                "<IBSCBS><finNFSe>0</finNFSe><cIndOp>100301</cIndOp>");

        sefin.cancels();
        v101.sink().deliver(cancellationOf(Invoices.pending("inv-1", 43, NOW)));
        List<LoggedRequest> events = sefin.server.findAll(postRequestedFor(urlPathEqualTo(SefinStandIn.ROOT
                + "/nfse/" + SefinStandIn.KEY + "/eventos")));
        assertThat(events).hasSize(1);
        String b64 = Json.MAPPER.readTree(events.get(0).getBodyAsString()).get(NfseApi.EVENT_FIELD).asText();
        String event;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(b64)))) {
            event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(event).contains("<pedRegEvento xmlns=\"http://www.sped.fazenda.gov.br/nfse\" versao=\"1.01\">");
        assertThat(FiscalSchemas.nfseEvents(folder101, "schemas", Dps.Layout.V1_01).validate(event))
                .as("against pedRegEvento_v1.01.xsd").isEmpty();
    }

    @Test
    void aCancellationResentAfterARestartThatTheAuthorityAlreadyRegisteredIsACancellation() throws Exception {
        sefin.refusesCancellation("E1250", "Evento de cancelamento já registrado");
        sefin.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(SefinStandIn.ROOT
                + "/nfse/" + SefinStandIn.KEY + "/eventos/101101/1")).willReturn(SefinStandIn.json(200, "{}")));
        Sink.Delivery d = sink().deliver(cancellationOf(Invoices.pending("inv-1", 51, NOW)));
        assertThat(d.assigned()).containsEntry("status", "CANCELLED");
    }

    @Test
    void aRefusedCancellationIsPermanentWithTheAuthoritysCodeAndALostAnswerIsAskedFor() throws Exception {
        sefin.refusesCancellation("E1235", "Prazo para cancelamento expirado");
        OutboundCommand command = cancellationOf(Invoices.pending("inv-1", 50, NOW));
        assertThatThrownBy(() -> sink().deliver(command)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("E1235").hasMessageContaining("stays authorized");

        sefin.server.resetAll();
        sefin.server.stubFor(post(urlPathEqualTo(SefinStandIn.ROOT + "/nfse/" + SefinStandIn.KEY + "/eventos"))
                .willReturn(SefinStandIn.json(201, "{}").withFixedDelay(1500)));
        sefin.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(SefinStandIn.ROOT
                + "/nfse/" + SefinStandIn.KEY + "/eventos/101101/1")).willReturn(SefinStandIn.json(200, "{}")));
        Sink.Delivery d = sink().deliver(command);
        assertThat(d.detail()).contains("found by the query, not sent again");
        assertThat(sefin.cancellationRequests()).isEqualTo(1);
    }
}
