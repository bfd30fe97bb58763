package dev.ponte.hub;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.connectors.fiscal.FiscalTestKit;
import dev.ponte.connectors.fiscal.SefinStandIn;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Paid charges become NFS-e (services) and NF-e (products) through a running hub: the legacy export is imported, the fiscal trigger (on-payment, the
 * default with a fiscal connector) numbers an Invoice per paid charge, the nfse-nacional connector signs and sends
 * its DPS to a WireMock Sefin Nacional (the nfe-sefaz connector sends the product's NF-e to a WireMock SEFAZ), and the
 * authority's answer is written back to the Invoice (AUTHORIZED with
 * its access key). A patient without a CPF makes no DPS: her Invoice is REJECTED with the reason, a dead letter
 * waits, and after the CPF is corrected at the source a replay issues it, once. {@code ponte invoice cancel} on
 * the running hub's data cancels an authorized one (event 101101). The connector checks documents
 * against the stand-in schemas of its tests (the official ones are checked in the connector's NfseSinkIT).
 */
@Tag("store")
class InvoiceIssuanceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    @TempDir
    Path keys;
    private SefinStandIn sefin;
    private dev.ponte.connectors.fiscal.SefazStandIn sefaz;
    private PonteHub hub;

    @BeforeEach
    void start() throws Exception {
        sefin = new SefinStandIn();
        sefin.accepts();
        sefaz = new dev.ponte.connectors.fiscal.SefazStandIn();
        sefaz.authorizesAny();
        Map<String, String> settings = new HashMap<>();
        settings.put("ponte.connectors.nfse.type", "nfse-nacional");
        FiscalTestKit.nfseIssuer().forEach((k, v) -> settings.put("ponte.connectors.nfse." + k, v));
        settings.put("ponte.connectors.nfse.schemas", FiscalTestKit.standInSchemas(keys.resolve("schemas")).toString());
        settings.put("ponte.connectors.nfse.certificate", FiscalTestKit.certificate(keys.resolve("a1.p12"), 365)
                .toString());
        settings.put("ponte.connectors.nfse.certificate-password", FiscalTestKit.PASSWORD);
        settings.put("ponte.connectors.nfse.base-url", sefin.baseUrl());
        settings.put("ponte.connectors.nfse.timeout", "2s");
        settings.put("ponte.fiscal.next-number", "101");
        settings.put("ponte.connectors.nfe.type", "nfe-sefaz");
        FiscalTestKit.nfeIssuer().forEach((k, v) -> settings.put("ponte.connectors.nfe." + k, v));
        settings.put("ponte.connectors.nfe.certificate", keys.resolve("a1.p12").toString());
        settings.put("ponte.connectors.nfe.certificate-password", FiscalTestKit.PASSWORD);
        settings.put("ponte.connectors.nfe.authorization-url", sefaz.endpoints().authorization().toString());
        settings.put("ponte.connectors.nfe.query-url", sefaz.endpoints().query().toString());
        settings.put("ponte.connectors.nfe.timeout", "2s");
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, settings)).start(true);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        sefin.close();
        sefaz.close();
    }

    private void drop(String folder, String biaCpf) throws Exception {
        Path export = Files.createDirectories(dataDir.resolve(folder));
        write(export.resolve("procedimentos.csv"), "CODIGO;DESCRICAO;VALOR;DURACAO_MIN;TIPO;ITEM_LC116;NCM",
                "P001;Limpeza de pele profunda;180,00;60;P;06.02;",
                "R001;Protetor solar FPS 60;89,90;0;R;;3304.99.90");
        write(export.resolve("profissionais.csv"), "CODIGO;NOME;CONSELHO;NUM_CONSELHO;UF_CONSELHO;AGENDA_GOOGLE",
                "1;Dra. Camila Rocha;CRM;123456;SP;");
        write(export.resolve("pacientes.csv"), "CODIGO;NOME;CPF;DATA_NASC;SEXO;TELEFONE;CELULAR;EMAIL;ENDERECO;"
                        + "NUMERO;COMPLEMENTO;BAIRRO;CIDADE;UF;CEP;CONVENIO;CARTEIRINHA;ORIGEM;ALERGIAS;OBSERVACOES;"
                        + "DT_CADASTRO;ACEITA_WHATSAPP;ACEITA_SMS;ACEITA_EMAIL",
                "1;Ana Paula Souza;529.982.247-25;13/05/1983;F;;(11) 99121-4283;ana@example.com;;;;;;;;"
                        + "PARTICULAR;;;;;22/05/2024;S;S;S",
                "2;Bia Lima;" + biaCpf + ";01/02/1990;F;;(11) 98888-7777;bia@example.com;;;;;;;;"
                        + "PARTICULAR;;;;;22/05/2024;S;S;S");
        write(export.resolve("agenda.csv"), "COD_AGENDA;COD_PACIENTE;DATA;HORA_INI;HORA_FIM;COD_PROFISSIONAL;SALA;"
                        + "COD_PROCEDIMENTO;SITUACAO;VALOR;CONVENIO;SENHA_AUTORIZACAO;COD_PACOTE_PACIENTE;OBS",
                "900001;1;25/11/2026;10:00;11:00;1;Sala 1;P001;AT;180,00;PARTICULAR;;;",
                "900002;2;25/11/2026;11:00;12:00;1;Sala 1;P001;AT;180,00;PARTICULAR;;;",
                "900003;1;26/11/2026;10:00;11:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;",
                "900004;1;25/11/2026;11:00;11:10;1;Sala 1;R001;AT;89,90;PARTICULAR;;;");
        write(export.resolve("financeiro.csv"), "COD_LANC;COD_PACIENTE;COD_AGENDA;DATA_VENC;DATA_PAGTO;VALOR;"
                        + "VALOR_PAGO;FORMA_PAGTO;STATUS;NF_NUMERO",
                "800001;1;900001;25/11/2026;25/11/2026;180,00;180,00;PIX;PAGO;",
                "800002;2;900002;25/11/2026;25/11/2026;180,00;180,00;PIX;PAGO;",
                "800003;1;900003;26/11/2026;;180,00;;;ABERTO;",
                "800004;1;900004;25/11/2026;25/11/2026;89,90;89,90;PIX;PAGO;");
        try (var files = Files.list(export)) {
            HubTestSupport.drop(dataDir.resolve("inbox/legacy"), files.sorted().toArray(Path[]::new));
        }
    }

    private static void write(Path file, String... lines) throws Exception {
        Files.write(file, (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The Invoice of the charge with source id {@code lanc}, if the hub made one. */
    private Optional<JsonNode> invoiceOf(String lanc) {
        return hub.database().read(c -> {
            String charge = null;
            try (var ps = c.prepareStatement("select canonical_id from xref where entity_type = 'Charge' "
                    + "and source_id = ?")) {
                ps.setString(1, lanc);
                try (var rs = ps.executeQuery()) {
                    charge = rs.next() ? rs.getString(1) : null;
                }
            }
            for (String payload : CanonicalStore.payloads(c, "Invoice").values()) {
                try {
                    JsonNode n = Json.MAPPER.readTree(payload);
                    if (charge != null && charge.equals(n.path("chargeId").asText())) {
                        return Optional.of(n);
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Optional.<JsonNode>empty();
        });
    }

    private String state() {
        return "; invoices " + hub.database().read(c -> CanonicalStore.payloads(c, "Invoice").values()) + "; posts "
                + sefin.posts() + "; " + Waits.hubState(hub);
    }

    @Test
    void paidChargesAreIssuedOnceARejectedOneAfterTheFixAndAReplayAndACancellationGoesOut() throws Exception {
        drop("export", "");

        await("Ana's invoice authorized").atMost(WAIT).untilAsserted(() -> assertThat(invoiceOf("800001")
                .map(i -> i.path("status").asText())).as(this::state).contains("AUTHORIZED"));
        JsonNode ana = invoiceOf("800001").orElseThrow();
        assertThat(ana.get("accessKey").asText()).isEqualTo(SefinStandIn.KEY);
        assertThat(ana.get("number").asText()).isIn("101", "102");
        assertThat(ana.has("issuedAt")).isTrue();
        assertThat(dataDir.resolve("fiscal/nfse/nfse/" + SefinStandIn.KEY + ".xml")).exists();

        await("Bia's invoice rejected").atMost(WAIT).untilAsserted(() -> assertThat(invoiceOf("800002")
                .map(i -> i.path("status").asText())).as(this::state).contains("REJECTED"));
        JsonNode bia = invoiceOf("800002").orElseThrow();
        assertThat(bia.get("rejectionReason").asText()).contains("cpf").contains("correct the record");
        List<DeadLetter> letters = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.connector()).isEqualTo("nfse");
            assertThat(d.errorClass()).isEqualTo(DeadLetter.ErrorClass.PERMANENT_REMOTE);
            assertThat(d.violations()).contains("Invoice " + bia.get("id").asText()).contains("cpf");
        });
        assertThat(invoiceOf("800003")).as("the open charge: not paid, no invoice").isEmpty();
        await("the product's NF-e authorized").atMost(WAIT).untilAsserted(() -> assertThat(invoiceOf("800004")
                .map(i -> i.path("status").asText())).as(this::state).contains("AUTHORIZED"));
        JsonNode nfe = invoiceOf("800004").orElseThrow();
        assertThat(nfe.get("kind").asText()).isEqualTo("NFE");
        assertThat(nfe.get("number").asText()).as("the NF-e series counts on its own, from "
                + "ponte.fiscal.nfe-next-number (1)").isEqualTo("1");
        assertThat(nfe.get("accessKey").asText()).hasSize(44).startsWith("35");
        assertThat(nfe.get("protocol").asText()).isEqualTo(dev.ponte.connectors.fiscal.SefazStandIn.PROTOCOL);
        assertThat(dataDir.resolve("fiscal/nfe/nfe/" + nfe.get("accessKey").asText() + "-procNFe.xml")).exists();
        assertThat(sefaz.authorizations()).as("one authorization: the NF-e only, the services went to the Sefin")
                .isEqualTo(1);
        assertThat(sefin.posts()).as("one POST: Bia's DPS never left").isEqualTo(1);

        // the clinic corrects Bia's CPF at the source; the replay sends her invoice with the record as it is now
        drop("export-fixed", "018.159.083-27");
        await("Bia's CPF imported").atMost(WAIT).untilAsserted(() -> {
            boolean fixed = hub.database().read(c -> CanonicalStore.payloads(c, "Patient").values().stream()
                    .anyMatch(p -> p.contains("01815908327")));
            assertThat(fixed).as(this::state).isTrue();
        });
        long id = letters.get(0).id();
        hub.database().inTransaction(c -> DeadLetters.requestReplay(c, id, "it"));
        await("Bia's invoice authorized after the replay").atMost(WAIT).untilAsserted(() -> assertThat(
                invoiceOf("800002").map(i -> i.path("status").asText())).as(this::state).contains("AUTHORIZED"));
        assertThat(invoiceOf("800002").orElseThrow().has("rejectionReason")).isFalse();
        assertThat(sefin.posts()).as("Ana's once, Bia's once").isEqualTo(2);
        assertThat(invoiceOf("800001").orElseThrow().get("status").asText()).as("Ana's re-imported charge: still one"
                + " document").isEqualTo("AUTHORIZED");

        // the clinic cancels Ana's NFS-e: the CLI writes the request, the running hub sends the event
        sefin.cancels();
        String anaId = ana.get("id").asText();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.ponte.cli.PonteCli.commandLine().setOut(new java.io.PrintWriter(out))
                .setErr(new java.io.PrintWriter(err)).execute("invoice", "cancel", anaId, "--reason",
                        "Serviço não prestado: paciente desistiu", "--code", "service-not-provided", "--data-dir",
                        dataDir.toString());
        assertThat(code).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("cancellation of Invoice " + anaId + " requested");
        await("Ana's invoice cancelled").atMost(WAIT).untilAsserted(() -> assertThat(invoiceOf("800001")
                .map(i -> i.path("status").asText())).as(this::state).contains("CANCELLED"));
        assertThat(sefin.cancellationRequests()).isEqualTo(1);
        int again = dev.ponte.cli.PonteCli.commandLine().setOut(new java.io.PrintWriter(new java.io.StringWriter()))
                .setErr(new java.io.PrintWriter(err)).execute("invoice", "cancel", anaId, "--reason",
                        "Serviço não prestado: paciente desistiu", "--data-dir", dataDir.toString());
        assertThat(again).as("a CANCELLED invoice is not cancelled twice").isEqualTo(1);
        assertThat(err.toString()).contains("is CANCELLED: only an AUTHORIZED NFS-e");
    }
}
