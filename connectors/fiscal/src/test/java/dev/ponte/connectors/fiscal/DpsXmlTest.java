package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsXmlTest {

    static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

    /** A facial cleansing (LC 116 06.02) by a Simples Nacional clinic in São Paulo for a patient with a CPF. */
    static Dps typical() {
        Dps.Issuer clinic = new Dps.Issuer("11222333000181", "12345678", "3550308", Dps.SimplesNacional.ME_EPP,
                Dps.SimplesApportionment.ALL_IN_SN, Dps.SpecialRegime.NONE);
        Dps.Taker patient = new Dps.Taker(Dps.Document.cpf("12345678909"), "Maria da Conceição Araújo",
                new Dps.Address("Rua Augusta", "1500", "Apto 12", "Consolação", "3550308", "01304001"),
                "11987654321", "maria@example.com");
        return new Dps(Dps.Environment.HOMOLOGATION, Instant.parse("2026-12-02T13:45:30.250Z"), SAO_PAULO,
                LocalDate.parse("2026-12-01"), "1", 42, "Ponte-0.1", clinic, patient,
                new Dps.Service("3550308", NationalTaxCode.fromServiceItem("06.02", "01"),
                        "Limpeza de pele profunda & hidratação <facial>"),
                new Dps.Values(new BigDecimal("350"), Dps.IssqnTreatment.TAXABLE, Dps.IssWithholding.NOT_WITHHELD,
                        new BigDecimal("2"), null));
    }

    @Test
    void writesTheElementsInSchemaOrder() {
        String xml = DpsXml.write(typical());
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DPS xmlns=\""
                + "http://www.sped.fazenda.gov.br/nfse\" versao=\"1.00\"><infDPS Id=\""
                + "DPS3550308211222333000181" + "00001" + "000000000000042\"><tpAmb>2</tpAmb>"
                + "<dhEmi>2026-12-02T10:45:30-03:00</dhEmi><verAplic>Ponte-0.1</verAplic><serie>1</serie>"
                + "<nDPS>42</nDPS><dCompet>2026-12-01</dCompet><tpEmit>1</tpEmit><cLocEmi>3550308</cLocEmi>"
                + "<prest><CNPJ>11222333000181</CNPJ><IM>12345678</IM><regTrib><opSimpNac>3</opSimpNac>"
                + "<regApTribSN>1</regApTribSN><regEspTrib>0</regEspTrib></regTrib></prest>"
                + "<toma><CPF>12345678909</CPF>");
        assertThat(xml).contains("<end><endNac><cMun>3550308</cMun><CEP>01304001</CEP></endNac>"
                + "<xLgr>Rua Augusta</xLgr><nro>1500</nro><xCpl>Apto 12</xCpl><xBairro>Consolação</xBairro></end>"
                + "<fone>11987654321</fone><email>maria@example.com</email></toma>");
        assertThat(xml).endsWith("<serv><locPrest><cLocPrestacao>3550308</cLocPrestacao></locPrest><cServ>"
                + "<cTribNac>060201</cTribNac><xDescServ>Limpeza de pele profunda &amp; hidratação &lt;facial&gt;"
                + "</xDescServ></cServ></serv><valores><vServPrest><vServ>350.00</vServ></vServPrest><trib><tribMun>"
                + "<tribISSQN>1</tribISSQN><pAliq>2.00</pAliq><tpRetISSQN>1</tpRetISSQN></tribMun><totTrib>"
                + "<indTotTrib>0</indTotTrib></totTrib></trib></valores></infDPS></DPS>");
    }

    @Test
    void theTypicalDpsIsValidAgainstTheOfficialSchemas() {
        assertThat(OfficialSchemas.nfse().validate(DpsXml.write(typical()))).isEmpty();
    }

    @Test
    void aMinimalDpsWithoutTakerAndWithTheSimplesPercentageIsValid() {
        Dps t = typical();
        Dps minimal = new Dps(Dps.Environment.PRODUCTION, t.emittedAt(), ZoneId.of("America/Manaus"),
                t.competence(), "99999", 999_999_999_999_999L, "x",
                new Dps.Issuer("11222333000181", null, "1302603", Dps.SimplesNacional.NOT_OPTING, null,
                        Dps.SpecialRegime.PROFESSIONAL_SOCIETY), null,
                new Dps.Service("1302603", new NationalTaxCode("060201"), "Sessão"),
                new Dps.Values(new BigDecimal("0.01"), Dps.IssqnTreatment.NOT_LEVIED, Dps.IssWithholding.NOT_WITHHELD,
                        null, new BigDecimal("6.5")));
        String xml = DpsXml.write(minimal);
        assertThat(xml).contains("<dhEmi>2026-12-02T09:45:30-04:00</dhEmi>", "<vServ>0.01</vServ>",
                "<pTotTribSN>6.50</pTotTribSN>").doesNotContain("<toma>", "<IM>", "regApTribSN", "pAliq");
        assertThat(OfficialSchemas.nfse().validate(xml)).isEmpty();
    }

    @Test
    void theSimplesSampleIsValid() throws IOException {
        FiscalSchemas schemas = OfficialSchemas.nfse();
        assertThat(schemas.validate(Files.readString(schemas.folder().resolve("sample-dps-simples.xml")))).isEmpty();
    }

    /** SOURCES.md, quirk 3: the unpatched 1.00 schema calls the federal group tribNac; the sample uses tribFed. */
    @Test
    void theRegimeNormalSampleFailsOnlyOnTheKnownTribFedQuirk() throws IOException {
        FiscalSchemas schemas = OfficialSchemas.nfse();
        List<SchemaProblem> problems = schemas.validate(
                Files.readString(schemas.folder().resolve("sample-dps-regime-normal.xml")));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.element()).isEqualTo("/DPS/infDPS/valores/trib/tribFed");
            assertThat(p.message()).contains("tribFed");
            assertThat(p.line()).isEqualTo(49); // <tribFed> is on line 49
        });
        String patched = Files.readString(schemas.folder().resolve("sample-dps-regime-normal.xml"))
                .replace("<tribFed>", "<tribNac>").replace("</tribFed>", "</tribNac>");
        assertThat(schemas.validate(patched)).isEmpty();
    }

    @Test
    void anEightDigitTaxCodeIsReportedOnItsElement() {
        String xml = DpsXml.write(typical()).replace("<cTribNac>060201</cTribNac>", "<cTribNac>06020101</cTribNac>");
        List<SchemaProblem> problems = OfficialSchemas.nfse().validate(xml);
        assertThat(problems).isNotEmpty().allSatisfy(p -> {
            assertThat(p.element()).isEqualTo("/DPS/infDPS/serv/cServ/cTribNac");
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.column()).isPositive();
        });
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("06020101"));
    }

    @Test
    void aMissingTakerDocumentIsReportedInTheTaker() {
        String xml = DpsXml.write(typical()).replace("<CPF>12345678909</CPF>", "");
        List<SchemaProblem> problems = OfficialSchemas.nfse().validate(xml);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.element()).startsWith("/DPS/infDPS/toma");
            assertThat(p.message()).contains("CPF");
        });
    }

    @Test
    void valuesOfTheTakerAreMaskedInProblems() {
        String xml = DpsXml.write(typical()).replace("<CPF>12345678909</CPF>", "<CPF>1234567890X</CPF>");
        List<SchemaProblem> problems = OfficialSchemas.nfse().validate(xml);
        assertThat(problems).isNotEmpty().allSatisfy(p -> {
            assertThat(p.element()).isEqualTo("/DPS/infDPS/toma/CPF");
            assertThat(p.message()).doesNotContain("1234567890X");
        });
    }

    @Test
    void theDpsRefusesWhatTheSchemaWould() {
        Dps t = typical();
        assertThatThrownBy(() -> new Dps.Values(new BigDecimal("10.005"), Dps.IssqnTreatment.TAXABLE,
                Dps.IssWithholding.NOT_WITHHELD, null, null)).hasMessageContaining("vServ");
        assertThatThrownBy(() -> new Dps.Values(BigDecimal.TEN, Dps.IssqnTreatment.TAXABLE,
                Dps.IssWithholding.NOT_WITHHELD, new BigDecimal("10"), null)).hasMessageContaining("pAliq");
        assertThatThrownBy(() -> new Dps.Values(BigDecimal.TEN, Dps.IssqnTreatment.IMMUNE,
                Dps.IssWithholding.NOT_WITHHELD, null, null)).hasMessageContaining("tribISSQN");
        assertThatThrownBy(() -> new Dps.Taker(Dps.Document.cpf("12345678909"), " Maria", null, null, null))
                .hasMessageContaining("toma/xNome");
        assertThatThrownBy(() -> new Dps.Taker(Dps.Document.cpf("12345678909"), "Maria \u2764", null, null, null))
                .hasMessageContaining("Latin-1");
        assertThatThrownBy(() -> new Dps.Issuer("11222333000181", null, "3550308", Dps.SimplesNacional.ME_EPP,
                null, Dps.SpecialRegime.NONE)).hasMessageContaining("regApTribSN");
        assertThatThrownBy(() -> new Dps(t.environment(), t.emittedAt(), ZoneId.of("Asia/Kolkata"), t.competence(),
                t.series(), t.number(), t.applicationVersion(), t.issuer(), t.taker(), t.service(), t.values()))
                .hasMessageContaining("dhEmi");
        assertThatThrownBy(() -> new NationalTaxCode("06020101")).hasMessageContaining("cTribNac");
    }

    @Test
    void toStringMasksPersonalData() {
        assertThat(typical().toString()).doesNotContain("12345678909", "Maria", "Augusta", "maria@");
    }
}
