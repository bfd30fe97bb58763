package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.xml.SafeXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Leiaute 1.01 (the tax reform's IBS/CBS group) as an option: the DPS of the canonical test data of
 * {@link DpsFromCanonicalTest}, with {@code layout=1.01}, is valid against the official 1.01 set, signed or not; the
 * NBS code and the IBS/CBS codes are where the schema puts them; a 1.01 configuration without them is refused naming
 * each key. The codes used here are those of the 1.01 package's sample (shapes for the test, not a tax opinion).
 */
class DpsLayout101Test {

    static final String NBS = "123456789";
    static final Dps.IbsCbs IBS_CBS = new Dps.IbsCbs("100301", "000", "000001");

    @TempDir
    static Path dir;
    private static A1Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("clinica.p12");
        Keytool.await(Keytool.startValidAt(store, "clinica", Keytool.DNAME, DpsFromCanonicalTest.NOW));
        cert = A1Certificate.load("nfse", store, Keytool.PASSWORD.toCharArray(), null);
    }

    /** The settings of {@link DpsFromCanonicalTest#settings} (an ME/EPP in the Simples Nacional), in leiaute 1.01. */
    static ClinicSettings settings101(Dps.SimplesNacional simples, Dps.SimplesApportionment apportionment) {
        return new ClinicSettings("11222333000181", "12345678", "3550308", simples, apportionment,
                Dps.SpecialRegime.NONE, "1", Dps.Environment.HOMOLOGATION, null, null, null, null, null, null,
                Dps.Layout.V1_01, NBS, IBS_CBS);
    }

    static Dps canonical101(ClinicSettings settings) {
        return DpsFromCanonicalTest.built(new DpsFromCanonical(settings).build(DpsFromCanonicalTest.charge(),
                DpsFromCanonicalTest.patient(), DpsFromCanonicalTest.procedure(), 42, DpsFromCanonicalTest.NOW,
                null));
    }

    // ---- the document ----

    @Test
    void theCanonicalTestDataIn101IsValidAgainstTheOfficial101Schemas() {
        FiscalSchemas schemas = OfficialSchemas.nfse101();
        for (ClinicSettings s : List.of(settings101(Dps.SimplesNacional.ME_EPP, Dps.SimplesApportionment.ALL_IN_SN),
                settings101(Dps.SimplesNacional.NOT_OPTING, null))) {
            Dps dps = canonical101(s);
            assertThat(dps.layout()).isEqualTo(Dps.Layout.V1_01);
            String xml = DpsXml.write(dps);
            assertThat(schemas.validate(xml)).as("against DPS_v1.01.xsd, " + s.simplesNacional()).isEmpty();
        }
    }

    @Test
    void theNbsCodeAndTheIbsCbsGroupAreWhereTheSchemaPutsThem() {
        String xml = DpsXml.write(canonical101(settings101(Dps.SimplesNacional.ME_EPP,
                Dps.SimplesApportionment.ALL_IN_SN)));
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DPS xmlns=\""
                + "http://www.sped.fazenda.gov.br/nfse\" versao=\"1.01\"><infDPS Id=\"DPS3550308211222333000181"
                + "00001000000000000042\">");
        // TCCServ: cTribNac, (cTribMun), xDescServ, cNBS
        assertThat(xml).contains("<cServ><cTribNac>060201</cTribNac><xDescServ>Limpeza de pele profunda</xDescServ>"
                + "<cNBS>" + NBS + "</cNBS></cServ>");
        // TCInfDPS ends with IBSCBS after valores; TCRTCInfoIBSCBS: finNFSe, cIndOp, indDest, valores/trib/gIBSCBS
        assertThat(xml).endsWith("<tribISSQN>1</tribISSQN><tpRetISSQN>1</tpRetISSQN></tribMun><totTrib>"
                + "<indTotTrib>0</indTotTrib></totTrib></trib></valores><IBSCBS><finNFSe>0</finNFSe>"
                + "<cIndOp>100301</cIndOp><indDest>0</indDest><valores><trib><gIBSCBS><CST>000</CST>"
                + "<cClassTrib>000001</cClassTrib></gIBSCBS></trib></valores></IBSCBS></infDPS></DPS>");
        assertThat(xml).doesNotContain("<dest>", "<indFinal>", "<gTribRegular>");
    }

    @Test
    void aSigned101DpsIsStillValidAndItsSignatureVerifies() throws Exception {
        FiscalSchemas schemas = OfficialSchemas.nfse101();
        Dps dps = canonical101(settings101(Dps.SimplesNacional.ME_EPP, Dps.SimplesApportionment.ALL_IN_SN));
        Document doc = SafeXml.parse(DpsXml.write(dps).getBytes(StandardCharsets.UTF_8), "the DPS");
        XmlSignature.sign(doc, dps.id().value(), XmlSignature.Algorithms.NFSE_NACIONAL, cert);
        String signed = XmlSignatureTest.serialize(doc);

        assertThat(schemas.validate(signed)).as("the signed DPS against DPS_v1.01.xsd").isEmpty();
        assertThat(signed).contains("</IBSCBS></infDPS><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">");
        XmlSignature.Verification ok = XmlSignature.verify(SafeXml.parse(signed.getBytes(StandardCharsets.UTF_8),
                "the signed DPS"));
        assertThat(ok.valid()).as(ok.reason()).isTrue();

        String tampered = signed.replace("<cClassTrib>000001</cClassTrib>", "<cClassTrib>000002</cClassTrib>");
        assertThat(schemas.validate(tampered)).as("still valid").isEmpty();
        assertThat(XmlSignature.verify(SafeXml.parse(tampered.getBytes(StandardCharsets.UTF_8), "the changed DPS"))
                .valid()).as("the IBS/CBS group is signed").isFalse();
    }

    @Test
    void thePreviewSignsAndValidatesIn101() {
        DpsPreview preview = new DpsPreview(settings101(Dps.SimplesNacional.ME_EPP, Dps.SimplesApportionment.ALL_IN_SN),
                OfficialSchemas.nfse101(), cert);
        DpsPreview.Result r = preview.preview(DpsFromCanonicalTest.charge(), DpsFromCanonicalTest.patient(),
                DpsFromCanonicalTest.procedure(), 42, DpsFromCanonicalTest.NOW, null);
        assertThat(r).isInstanceOf(DpsPreview.Result.Signed.class);
        assertThat(((DpsPreview.Result.Signed) r).xml()).contains("versao=\"1.01\"", "<IBSCBS>");
    }

    @Test
    void aDocumentOfOneLeiauteIsNotValidInTheOther() {
        String v101 = DpsXml.write(canonical101(settings101(Dps.SimplesNacional.ME_EPP,
                Dps.SimplesApportionment.ALL_IN_SN)));
        assertThat(OfficialSchemas.nfse().validate(v101)).as("1.01 against 1.00").isNotEmpty();
        String v100 = DpsXml.write(DpsFromCanonicalTest.built(new DpsFromCanonical(DpsFromCanonicalTest.settings(
                null)).build(DpsFromCanonicalTest.charge(), DpsFromCanonicalTest.patient(),
                DpsFromCanonicalTest.procedure(), 42, DpsFromCanonicalTest.NOW, null)));
        assertThat(v100).contains("versao=\"1.00\"").doesNotContain("cNBS", "IBSCBS");
        assertThat(OfficialSchemas.nfse101().validate(v100)).as("1.00 against 1.01").isNotEmpty();
    }

    @Test
    void tribIssqnIsWrittenWithTheCodesOfTheLeiaute() {
        assertThat(Dps.IssqnTreatment.TAXABLE.code(Dps.Layout.V1_01)).isEqualTo("1");
        assertThat(Dps.IssqnTreatment.NOT_LEVIED.code(Dps.Layout.V1_00)).isEqualTo("3");
        assertThat(Dps.IssqnTreatment.NOT_LEVIED.code(Dps.Layout.V1_01)).isEqualTo("4");
        assertThat(Dps.IssqnTreatment.NOT_LEVIED.code()).isEqualTo("3");
    }

    // ---- the record's checks ----

    @Test
    void theRecordRefusesWhatTheLeiauteDoesNotAllow() {
        Dps t = DpsXmlTest.typical();
        Dps.Service withNbs = new Dps.Service(t.service().placeOfService(), t.service().nationalTaxCode(),
                t.service().description(), NBS);
        assertThatThrownBy(() -> new Dps(t.environment(), t.emittedAt(), t.zone(), t.competence(), t.series(),
                t.number(), t.applicationVersion(), t.issuer(), t.taker(), withNbs, t.values(), Dps.Layout.V1_01,
                null)).hasMessageStartingWith("IBSCBS: required in leiaute 1.01");
        assertThatThrownBy(() -> new Dps(t.environment(), t.emittedAt(), t.zone(), t.competence(), t.series(),
                t.number(), t.applicationVersion(), t.issuer(), t.taker(), t.service(), t.values(), Dps.Layout.V1_01,
                IBS_CBS)).hasMessageStartingWith("serv/cServ/cNBS: required in leiaute 1.01");
        assertThatThrownBy(() -> new Dps(t.environment(), t.emittedAt(), t.zone(), t.competence(), t.series(),
                t.number(), t.applicationVersion(), t.issuer(), t.taker(), withNbs, t.values(), Dps.Layout.V1_00,
                IBS_CBS)).hasMessageStartingWith("IBSCBS: only in leiaute 1.01");
        assertThatThrownBy(() -> new Dps(t.environment(), t.emittedAt(), t.zone(), t.competence(), "00",
                t.number(), t.applicationVersion(), t.issuer(), t.taker(), withNbs, t.values(), Dps.Layout.V1_01,
                IBS_CBS)).hasMessageStartingWith("serie: must not be all zeros");
        assertThatThrownBy(() -> new Dps(t.environment(), t.emittedAt(), t.zone(), t.competence(), t.series(),
                t.number(), t.applicationVersion(), t.issuer(), null, withNbs, t.values(), Dps.Layout.V1_01,
                IBS_CBS)).hasMessageStartingWith("toma: required in leiaute 1.01");
        assertThatThrownBy(() -> new Dps.IbsCbs("100301", "200", "000001"))
                .hasMessageStartingWith("IBSCBS/valores/trib/gIBSCBS/cClassTrib: must start with the 3 digits");
        assertThatThrownBy(() -> new Dps.IbsCbs("10030", "000", "000001")).hasMessageStartingWith("IBSCBS/cIndOp");
        assertThatThrownBy(() -> new Dps.Service("3550308", new NationalTaxCode("060201"), "x", "1.2345.67"))
                .hasMessageStartingWith("serv/cServ/cNBS: must be exactly 9 digits");
        // 1.00 with an NBS code: optional there, written after xDescServ, still valid
        Dps v100 = new Dps(t.environment(), t.emittedAt(), t.zone(), t.competence(), t.series(), t.number(),
                t.applicationVersion(), t.issuer(), t.taker(), withNbs, t.values());
        assertThat(DpsXml.write(v100)).contains("</xDescServ><cNBS>" + NBS + "</cNBS></cServ>")
                .contains("versao=\"1.00\"").doesNotContain("IBSCBS");
        assertThat(OfficialSchemas.nfse().validate(DpsXml.write(v100))).isEmpty();
    }

    @Test
    void clinicSettingsOf101NeedTheNbsAndIbsCbsCodes() {
        assertThat(DpsFromCanonicalTest.settings(null).layout()).as("the old constructor").isEqualTo(Dps.Layout.V1_00);
        assertThatThrownBy(() -> new ClinicSettings("11222333000181", null, "3550308", Dps.SimplesNacional.MEI, null,
                Dps.SpecialRegime.NONE, "1", Dps.Environment.PRODUCTION, null, null, null, null, null, null,
                Dps.Layout.V1_01, null, IBS_CBS)).hasMessageStartingWith("serv/cServ/cNBS");
        assertThatThrownBy(() -> new ClinicSettings("11222333000181", null, "3550308", Dps.SimplesNacional.MEI, null,
                Dps.SpecialRegime.NONE, "1", Dps.Environment.PRODUCTION, null, null, null, null, null, null,
                Dps.Layout.V1_01, NBS, null)).hasMessageStartingWith("IBSCBS");
        assertThat(new ClinicSettings("11222333000181", null, "3550308", Dps.SimplesNacional.MEI, null,
                Dps.SpecialRegime.NONE, "1", Dps.Environment.PRODUCTION, null, null, null, null, null, null, null,
                null, null).layout()).as("null is 1.00").isEqualTo(Dps.Layout.V1_00);
    }

    // ---- the connector's settings ----

    /**
     * The options of {@link Invoices#config} in sandbox mode, with the schemas of the leiaute asked for (for 1.01,
     * the official set, or an empty folder when it is absent: see {@link #problems}).
     */
    static Map<String, String> options(Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(ConnectorConfigs.PREFIX + "nfse.type", NfseConnector.TYPE);
        p.put(ConnectorConfigs.PREFIX + "nfse.sandbox", "true");
        Path schemas = !"1.01".equals(extra.get("layout")) ? Invoices.standInSchemas()
                : has101() ? OfficialSchemas.folder101() : dir;
        Map<String, String> o = new LinkedHashMap<>(Invoices.config("https://sefin.example.invalid/SefinNacional",
                dir.resolve("none.p12"), schemas));
        o.remove("certificate");
        o.remove("certificate-password");
        o.putAll(extra);
        o.forEach((k, v) -> p.put(ConnectorConfigs.PREFIX + "nfse." + k, v));
        return p;
    }

    static ConnectorConfig config(Map<String, String> extra) {
        return ConnectorConfigs.validate(options(extra), Map.of(NfseConnector.TYPE, new NfseConnector()),
                Map.of("data-dir", dir.toString())).get(0);
    }

    /** The problems of a refused configuration, but the missing 1.01 schemas of a machine without them. */
    static List<String> problems(Map<String, String> extra) {
        try {
            config(extra);
        } catch (ConfigurationException e) {
            return e.problems().stream().filter(p -> has101() || !p.startsWith("ponte.connectors.nfse.schemas:"))
                    .toList();
        }
        throw new AssertionError("the configuration was accepted");
    }

    static boolean has101() {
        Path folder = OfficialSchemas.folder101();
        return folder != null && Files.isRegularFile(folder.resolve(FiscalSchemas.DPS_SCHEMA_101));
    }

    @Test
    void layout101WithoutItsIbsCbsKeysIsRefusedNamingThem() {
        assertThat(problems(Map.of("layout", "1.01"))).containsExactlyInAnyOrder(
                "ponte.connectors.nfse.nbs-code: required with layout=1.01 (serv/cServ/cNBS of the DPS)",
                "ponte.connectors.nfse.ibs-cbs-operation-code: required with layout=1.01 (IBSCBS/cIndOp of the DPS)",
                "ponte.connectors.nfse.ibs-cbs-cst: required with layout=1.01 (IBSCBS gIBSCBS/CST of the DPS)",
                "ponte.connectors.nfse.ibs-cbs-class: required with layout=1.01 (IBSCBS gIBSCBS/cClassTrib of the "
                        + "DPS)");
        assertThat(problems(Map.of("layout", "1.01", "nbs-code", NBS, "ibs-cbs-cst", "000",
                "ibs-cbs-class", "000001"))).containsExactly("ponte.connectors.nfse.ibs-cbs-operation-code: "
                + "required with layout=1.01 (IBSCBS/cIndOp of the DPS)");
    }

    @Test
    void ibsCbsKeysWithLayout100AreRefusedAndWrongCodesNamed() {
        assertThat(problems(Map.of("ibs-cbs-cst", "000"))).containsExactly("ponte.connectors.nfse.ibs-cbs-cst: "
                + "only with layout=1.01 (leiaute 1.00 has no IBS/CBS group); remove it or set layout=1.01");
        assertThat(problems(Map.of("layout", "1.02"))).singleElement().asString()
                .startsWith("ponte.connectors.nfse.layout:").contains("1.00, 1.01");
        assertThat(problems(Map.of("layout", "1.01", "nbs-code", "12345", "ibs-cbs-operation-code", "100301",
                "ibs-cbs-cst", "000", "ibs-cbs-class", "000001"))).singleElement().asString()
                .startsWith("ponte.connectors.nfse.nbs-code: '12345' must be 9 digits");
        assertThat(problems(Map.of("layout", "1.01", "nbs-code", NBS, "ibs-cbs-operation-code", "100301",
                "ibs-cbs-cst", "200", "ibs-cbs-class", "000001"))).containsExactly("ponte.connectors.nfse."
                + "ibs-cbs-class: must start with the 3 digits of ibs-cbs-cst (a cClassTrib belongs to one CST)");
        List<String> read = new ArrayList<>();
        assertThat(FiscalConfig.read(new ConnectorConfig("nfse", NfseConnector.DESCRIPTOR, Map.of(
                "issuer-cnpj", "11222333000181", "layout", "1.01"), true), read)).isNull();
        assertThat(read).as("read alone reports the layout rules too").hasSize(4)
                .allSatisfy(p -> assertThat(p).contains("required with layout=1.01"));
    }

    @Test
    void aComplete101ConfigurationGivesTheSettings() {
        OfficialSchemas.nfse101(); // the connector's own checks compile the schemas of the leiaute
        ConnectorConfig c = config(Map.of("layout", "1.01", "nbs-code", "1.2345.67.89", "ibs-cbs-operation-code",
                "100301", "ibs-cbs-cst", "000", "ibs-cbs-class", "000001"));
        List<String> problems = new ArrayList<>();
        FiscalConfig fiscal = FiscalConfig.read(c, problems);
        assertThat(problems).isEmpty();
        assertThat(fiscal.clinic().layout()).isEqualTo(Dps.Layout.V1_01);
        assertThat(fiscal.clinic().nbsCode()).isEqualTo("123456789");
        assertThat(fiscal.clinic().ibsCbs()).isEqualTo(IBS_CBS);
        assertThat(fiscal.toString()).contains("leiaute 1.01");

        FiscalConfig v100 = FiscalConfig.read(config(Map.of()), problems);
        assertThat(problems).isEmpty();
        assertThat(v100.clinic().layout()).as("the default").isEqualTo(Dps.Layout.V1_00);
        assertThat(v100.clinic().nbsCode()).isNull();
        assertThat(v100.clinic().ibsCbs()).isNull();
    }

    @Test
    void theOptionsAreDescribed() {
        NfseConnector.DESCRIPTOR.config().forEach(f -> {
            assertThat(f.key()).matches("[a-z][a-z0-9-]*");
            assertThat(f.description()).as(f.key()).hasSizeGreaterThan(10);
        });
        assertThat(NfseConnector.DESCRIPTOR.config()).anySatisfy(f -> {
            assertThat(f.key()).isEqualTo("layout");
            assertThat(f.defaultValue()).isEqualTo("1.00");
        });
    }

    // ---- the schemas of 1.01 ----

    @Test
    void theOfficial101SampleIsValidAndTheSeriesPatternKeepsItsMeaning() throws IOException {
        FiscalSchemas schemas = OfficialSchemas.nfse101();
        String sample = Files.readString(schemas.folder().resolve(
                "sample-dps-ExemploPisZeradoCofinsSobreFaturamentoPreenchido.xml"));
        assertThat(schemas.validate(sample)).isEmpty();
        assertThat(schemas.validate(sample.replace("<serie>333</serie>", "<serie>00333</serie>"))).isEmpty();
        assertThat(schemas.validate(sample.replace("<serie>333</serie>", "<serie>000</serie>")))
                .as("all zeros, as the official lookahead means").isNotEmpty();
        assertThat(schemas.validate(sample.replace("<serie>333</serie>", "<serie>123456</serie>"))).isNotEmpty();
        assertThat(schemas.validate(sample.replace("<cNBS>115021000</cNBS>", ""))).as("cNBS is required")
                .isNotEmpty();
    }

    @Test
    void theFilesOnDiskAreNotChangedAndOnlyTheTwoKnownDefectsAreCorrected() throws IOException {
        Path folder = OfficialSchemas.nfse101().folder();
        byte[] simples = Files.readAllBytes(folder.resolve("tiposSimples_v1.01.xsd"));
        byte[] dsig = Files.readAllBytes(folder.resolve("xmldsig-core-schema.xsd"));
        byte[] complexos = Files.readAllBytes(folder.resolve("tiposComplexos_v1.01.xsd"));
        String fixedSimples = new String(FiscalSchemas.corrected("tiposSimples_v1.01.xsd", simples),
                StandardCharsets.UTF_8);
        assertThat(fixedSimples).contains("<xs:pattern value=\"0*[1-9][0-9]*\"/>").doesNotContain("(?!");
        assertThat(fixedSimples.length()).isEqualTo(new String(simples, StandardCharsets.UTF_8).length()
                - "^(?!0{1,5}$)\\d{1,5}$".length() + "0*[1-9][0-9]*".length());
        String fixedDsig = new String(FiscalSchemas.corrected("xmldsig-core-schema.xsd", dsig), StandardCharsets.UTF_8);
        assertThat(fixedDsig).startsWith("<?xml").doesNotContain("<!DOCTYPE", "<!ENTITY")
                .contains("<schema xmlns=\"http://www.w3.org/2001/XMLSchema\"");
        assertThat(FiscalSchemas.corrected("tiposComplexos_v1.01.xsd", complexos)).isSameAs(complexos);
        assertThat(new String(Files.readAllBytes(folder.resolve("xmldsig-core-schema.xsd")), StandardCharsets.UTF_8))
                .contains("<!DOCTYPE");
    }

    @Test
    void anotherDoctypeIn101IsStillRefused(@TempDir Path tmp) throws IOException {
        Path folder = OfficialSchemas.nfse101().folder();
        for (String f : FiscalSchemas.DPS_FILES_101) {
            Files.copy(folder.resolve(f), tmp.resolve(f));
        }
        Path complexos = tmp.resolve("tiposComplexos_v1.01.xsd");
        String text = Files.readString(complexos);
        Files.writeString(complexos, text.replaceFirst("<xs:schema", "<!DOCTYPE x SYSTEM "
                + "'http://example.invalid/x.dtd'><xs:schema"));
        assertThatThrownBy(() -> FiscalSchemas.nfse(tmp, "schemas", Dps.Layout.V1_01))
                .isInstanceOf(MissingSchemaException.class).hasMessageContaining("do not compile");
        Files.writeString(complexos, text);
        assertThat(FiscalSchemas.nfse(tmp, "schemas", Dps.Layout.V1_01).validate(DpsXml.write(canonical101(
                settings101(Dps.SimplesNacional.MEI, null))))).as("the copy, restored").isEmpty();
    }

    @Test
    void theCancellationOf101IsValidAgainstThe101EventSchema() throws Exception {
        Path folder = OfficialSchemas.nfse101().folder();
        FiscalSchemas events = FiscalSchemas.nfseEvents(folder, "schemas", Dps.Layout.V1_01);
        Cancellation c = new Cancellation("3".repeat(50), Dps.Environment.HOMOLOGATION, "11222333000181",
                OffsetDateTime.parse("2026-12-03T10:00:00-03:00"), Cancellation.Reason.ISSUE_ERROR,
                "Erro na emissao do documento", null);
        Document doc = SafeXml.parse(c.xml(Dps.Layout.V1_01).getBytes(StandardCharsets.UTF_8), "the request");
        XmlSignature.sign(doc, c.id(), XmlSignature.Algorithms.NFSE_NACIONAL, cert);
        String signed = XmlSignatureTest.serialize(doc);
        assertThat(signed).contains("versao=\"1.01\"");
        assertThat(events.validate(signed)).isEmpty();
        assertThat(c.xml()).contains("versao=\"1.00\"");
    }
}
