package dev.ponte.cli;

import dev.ponte.connectors.fiscal.DpsPreview;
import dev.ponte.connectors.fiscal.SandboxCertificate;
import dev.ponte.connectors.fiscal.FiscalSchemas;
import dev.ponte.connectors.fiscal.XmlSignature;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ponte invoice preview}: the few canonical records it needs written into a fresh data directory with the
 * store's API (no import), the official NFS-e schemas from {@code ../shared/schemas} or {@code PONTE_FISCAL_SCHEMAS}
 * (the tests that need them are skipped with a message when absent).
 */
class InvoicePreviewCommandTest {

    private static final String CPF = "12345678909";
    private static final String FIRST_ID = "DPS3550308" + "2" + "11222333000181" + "00001" + "000000000000001";
    private static final String SECOND_ID = "DPS3550308" + "2" + "11222333000181" + "00001" + "000000000000002";

    @TempDir
    Path dir;

    static Path schemasFolder() {
        String env = System.getenv("PONTE_FISCAL_SCHEMAS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path d = Path.of("").toAbsolutePath();
        for (int i = 0; i <= 4 && d != null; i++, d = d.getParent()) {
            Path candidate = d.resolve("shared/schemas/nfse-nacional-1.00");
            if (Files.isRegularFile(candidate.resolve(FiscalSchemas.DPS_SCHEMA))) {
                return candidate;
            }
        }
        return null;
    }

    private static Path requireSchemas() {
        Path folder = schemasFolder();
        Assumptions.assumeTrue(folder != null, "official NFS-e 1.00 schemas not found (../shared/schemas/"
                + "nfse-nacional-1.00 above the working directory, or PONTE_FISCAL_SCHEMAS): set PONTE_FISCAL_SCHEMAS"
                + " to the folder of DPS_v1.00.xsd (gov.br/nfse, Esquemas XSD) to run this test");
        return folder;
    }

    private void properties(String... lines) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ponte.properties"), String.join("\n", lines) + "\n");
    }

    private static String[] issuer(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("ponte.connectors.nfse.type=nfse-nacional",
                "ponte.connectors.nfse.issuer-cnpj=11.222.333/0001-81",
                "ponte.connectors.nfse.issuer-municipal-registration=12345678",
                "ponte.connectors.nfse.issuer-municipality-code=3550308",
                "ponte.connectors.nfse.issuer-simples-nacional=me-epp",
                "ponte.connectors.nfse.issuer-simples-apportionment=all-in-sn"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /**
     * c1 paid service, c2 open, c3 paid product, c4 paid but the patient has no CPF, c5 open but its payments cover
     * the amount, c6 paid with an Invoice record.
     */
    private void records() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        rows.put("Procedure/P001", """
                {"code": "P001", "name": "Limpeza de pele profunda", "kind": "SERVICE", "price": 350.00,
                 "serviceItem": "06.02"}""");
        rows.put("Procedure/R001", """
                {"code": "R001", "name": "Protetor solar FPS 60", "kind": "PRODUCT", "price": 89.90, "ncm": "33049990"}""");
        rows.put("Patient/p1", """
                {"id": "p1", "name": "Maria da Conceição", "cpf": "123.456.789-09", "mobilePhone": "+5511987654321"}""");
        rows.put("Patient/p2", """
                {"id": "p2", "name": "Joana Semdocumento"}""");
        rows.put("Appointment/a1", """
                {"id": "a1", "patientId": "p1", "procedureCode": "P001", "start": "2026-11-30T14:00:00-03:00",
                 "end": "2026-11-30T15:00:00-03:00", "status": "ATTENDED"}""");
        rows.put("Appointment/a2", """
                {"id": "a2", "patientId": "p1", "procedureCode": "R001", "start": "2026-11-30T15:00:00-03:00",
                 "end": "2026-11-30T15:10:00-03:00", "status": "ATTENDED"}""");
        rows.put("Charge/c1", charge("c1", "p1", "a1", "350.00", "PAID", "350.00"));
        rows.put("Charge/c2", charge("c2", "p1", "a1", "350.00", "OPEN", null));
        rows.put("Charge/c3", charge("c3", "p1", "a2", "89.90", "PAID", "89.90"));
        rows.put("Charge/c4", charge("c4", "p2", "a1", "350.00", "PAID", "350.00"));
        rows.put("Charge/c5", charge("c5", "p1", "a1", "350.00", "PARTIALLY_PAID", "350.00"));
        rows.put("Charge/c6", charge("c6", "p1", "a1", "350.00", "PAID", "350.00"));
        rows.put("Invoice/i1", """
                {"id": "i1", "kind": "NFSE", "chargeId": "c6", "status": "AUTHORIZED", "amount": 350.00}""");
        HubSettings settings = HubSettings.load(dir, null, Map.of());
        try (Database db = PonteHub.openDatabase(settings)) {
            db.inTransaction(c -> {
                for (Map.Entry<String, String> e : rows.entrySet()) {
                    String[] key = e.getKey().split("/");
                    CanonicalStore.insert(c, key[0], key[1], e.getValue(), "h-" + key[1], now);
                }
                return null;
            });
        }
    }

    private static String charge(String id, String patient, String appointment, String amount, String status,
                                 String paid) {
        return "{\"id\": \"" + id + "\", \"patientId\": \"" + patient + "\", \"appointmentId\": \"" + appointment
                + "\", \"dueDate\": \"2026-11-30\", \"amount\": " + amount + ", \"status\": \"" + status
                + "\", \"payer\": \"PATIENT\"" + (paid == null ? "" : ", \"payments\": [{\"paidOn\": \"2026-11-30\","
                + " \"amount\": " + paid + ", \"method\": \"PIX\"}]") + "}";
    }

    @Test
    void paidServiceChargesBecomeSignedValidFilesNamedAfterTheirIdAndTheOthersAreSkippedWithTheirReason()
            throws Exception {
        Path schemas = requireSchemas();
        properties(issuer("ponte.connectors.nfse.schemas=" + schemas.toAbsolutePath()));
        records();
        Path out = dir.resolve("preview");

        CliRun run = CliRun.of("invoice", "preview", "--all", "--data-dir", dir.toString(), "--out", out.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("signed with the Ponte sandbox certificate: not valid at the tax authority")
                .contains("numbers are provisional")
                .contains("written  c1  " + FIRST_ID + ".xml  nDPS 1, R$ 350.00")
                .contains("skipped  c2  not paid: status OPEN")
                .contains("skipped  c3  product, no NF-e connector configured: Procedure R001 is a PRODUCT")
                .contains("skipped  c4  canonical problems: Patient p2: cpf is missing, the NFS-e needs the taker's"
                        + " CPF or CNPJ")
                .contains("written  c5  " + SECOND_ID + ".xml  nDPS 2")
                .contains("skipped  c6  already invoiced: an Invoice record names this charge")
                .contains("2 written, 4 skipped (")
                .contains("1 not paid").contains("1 product, no NF-e connector configured").contains("1 canonical problems")
                .contains("1 already invoiced").contains("0 failed");
        assertThat(run.out() + run.err()).doesNotContain(CPF, "123.456.789-09", "Maria", "Joana",
                SandboxCertificate.PASSWORD);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(FIRST_ID + ".xml", SECOND_ID + ".xml");
        }
        String xml = Files.readString(out.resolve(FIRST_ID + ".xml"), StandardCharsets.UTF_8);
        assertThat(FiscalSchemas.nfse(schemas).validate(xml)).as("against the official DPS_v1.00.xsd").isEmpty();
        XmlSignature.Verification v = DpsPreview.verify(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(v.valid()).as(v.reason()).isTrue();
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DPS ")
                .contains("<infDPS Id=\"" + FIRST_ID + "\"><tpAmb>2</tpAmb>")
                .contains("<dCompet>2026-11-30</dCompet>").contains("<cTribNac>060201</cTribNac>")
                .contains("<CPF>" + CPF + "</CPF>").contains("<vServ>350.00</vServ>")
                .contains("URI=\"#" + FIRST_ID + "\"");
        assertThat(dir.resolve(SandboxCertificate.FILE)).isRegularFile();

        // one charge: the sandbox certificate is reused, the number starts at next-number
        properties(issuer("ponte.connectors.nfse.schemas=" + schemas.toAbsolutePath(), "ponte.fiscal.next-number=41"));
        CliRun one = CliRun.of("invoice", "preview", "--charge", "c1", "--data-dir", dir.toString(),
                "--out", out.toString());
        assertThat(one.exitCode()).as(one.out() + one.err()).isZero();
        assertThat(one.out()).contains("sandbox certificate").doesNotContain("made now")
                .contains("written  c1  DPS3550308211222333000181" + "00001" + "000000000000041.xml")
                .contains("1 written, 0 skipped, 0 failed");

        CliRun product = CliRun.of("invoice", "preview", "--charge", "c3", "--data-dir", dir.toString(),
                "--out", out.toString());
        assertThat(product.exitCode()).isEqualTo(1);
        assertThat(product.err()).contains("charge c3 is not eligible: product, no NF-e connector configured");

        // with an NF-e connector, the product's NF-e 4.00 is previewed too
        properties(issuer("ponte.connectors.nfse.schemas=" + schemas.toAbsolutePath(),
                "ponte.connectors.nfe.type=nfe-sefaz", "ponte.connectors.nfe.issuer-cnpj=11222333000181",
                "ponte.connectors.nfe.issuer-state-registration=111222333444",
                "ponte.connectors.nfe.issuer-legal-name=Clinica Bela Ltda", "ponte.connectors.nfe.issuer-street=Rua A",
                "ponte.connectors.nfe.issuer-number=1", "ponte.connectors.nfe.issuer-district=Centro",
                "ponte.connectors.nfe.issuer-municipality-code=3550308",
                "ponte.connectors.nfe.issuer-municipality-name=Sao Paulo", "ponte.connectors.nfe.issuer-uf=SP",
                "ponte.connectors.nfe.issuer-postal-code=01304001"));
        CliRun withNfe = CliRun.of("invoice", "preview", "--charge", "c3", "--data-dir", dir.toString(),
                "--out", out.toString());
        assertThat(withNfe.exitCode()).as(withNfe.out() + withNfe.err()).isZero();
        assertThat(withNfe.out()).contains("products: NF-e 4.00 of SP, series 1").containsPattern(
                "written  c3  NFe35\\d{42}\\.xml  NF-e nNF 1, R\\$ 89\\.90");
        String nfeFile = withNfe.out().replaceAll("(?s).*written  c3  (NFe\\d{44}\\.xml).*", "$1");
        String nfeXml = Files.readString(out.resolve(nfeFile), StandardCharsets.UTF_8);
        assertThat(DpsPreview.verify(nfeXml.getBytes(StandardCharsets.UTF_8)).valid()).isTrue();
        assertThat(nfeXml).contains("<NCM>33049990</NCM>").contains("<CPF>" + CPF + "</CPF>");
        CliRun unknown = CliRun.of("invoice", "preview", "--charge", "nope", "--data-dir", dir.toString(),
                "--out", out.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no charge nope");
    }

    @Test
    void withoutTheSchemasFolderTheCommandExits2SayingWhereToGetThem() throws Exception {
        properties(issuer());
        CliRun run = CliRun.of("invoice", "preview", "--all", "--data-dir", dir.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ponte.connectors.nfse.schemas: required").contains("gov.br/nfse");
        assertThat(dir.resolve("out")).doesNotExist();

        properties(issuer("ponte.connectors.nfse.schemas=" + dir.resolve("empty")));
        Files.createDirectories(dir.resolve("empty"));
        CliRun incomplete = CliRun.of("invoice", "preview", "--all", "--data-dir", dir.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(incomplete.exitCode()).isEqualTo(2);
        assertThat(incomplete.err()).contains("DPS_v1.00.xsd is missing from").contains("gov.br/nfse");
    }

    @Test
    void missingOrWrongIssuerKeysExit2NamingEveryKey() throws Exception {
        properties("ponte.connectors.nfse.type=nfse-nacional",
                "ponte.connectors.nfse.issuer-municipality-code=355030",
                "ponte.connectors.nfse.issuer-simples-nacional=maybe", "ponte.connectors.nfse.environment=staging",
                "ponte.connectors.nfse.schemas=" + dir.resolve("none"));
        CliRun run = CliRun.of("invoice", "preview", "--all", "--data-dir", dir.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ponte.connectors.nfse.issuer-cnpj: required")
                .contains("ponte.connectors.nfse.issuer-municipality-code:").contains("7-digit IBGE code")
                .contains("ponte.connectors.nfse.issuer-simples-nacional:").contains("maybe")
                .contains("ponte.connectors.nfse.environment:").contains("staging");
    }

    @Test
    void withoutAFiscalConnectorTheCommandSaysHowToConfigureOne() throws Exception {
        properties("ponte.fiscal.next-number=5");
        CliRun run = CliRun.of("invoice", "preview", "--all", "--data-dir", dir.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no fiscal connector is configured").contains("type=nfse-nacional");
    }

    @Test
    void aConfiguredCertificateSignsAndItsPasswordIsNeverPrinted() throws Exception {
        Path schemas = requireSchemas();
        records();
        Path p12 = dir.resolve("clinica.p12");
        String password = "pfx-Pass-7731";
        Process p = new ProcessBuilder(SandboxCertificate.keytool().toString(), "-genkeypair", "-keyalg", "RSA",
                "-keysize", "2048", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", password,
                "-keypass", password, "-alias", "clinica", "-dname",
                "CN=CLINICA BELA LTDA:11222333000181, OU=Ponte test, C=BR", "-validity", "365", "-noprompt")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        properties(issuer("ponte.connectors.nfse.schemas=" + schemas, "ponte.connectors.nfse.certificate=" + p12,
                "ponte.connectors.nfse.certificate-password=" + password));
        CliRun run = CliRun.of("invoice", "preview", "--charge", "c1", "--data-dir", dir.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("signed with CLINICA BELA LTDA:11222333000181").doesNotContain("sandbox");
        assertThat(run.out() + run.err()).doesNotContain(password);
        assertThat(dir.resolve(SandboxCertificate.FILE)).doesNotExist();

        properties(issuer("ponte.connectors.nfse.schemas=" + schemas, "ponte.connectors.nfse.certificate=" + p12,
                "ponte.connectors.nfse.certificate-password=wrong-" + password));
        CliRun wrong = CliRun.of("invoice", "preview", "--charge", "c1", "--data-dir", dir.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("ponte.connectors.nfse.certificate-password: wrong password");
        assertThat(wrong.out() + wrong.err()).doesNotContain(password);
    }
}
