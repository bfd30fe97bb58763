package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.xml.SafeXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NfeDocumentsTest {

    static final String NFE_NS = "http://www.portalfiscal.inf.br/nfe";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String CNPJ = Invoices.ISSUER;
    /** 13:00:00.750 UTC is 10:00:00 in São Paulo; the milliseconds are dropped. */
    static final Instant NOW = Instant.parse("2026-12-02T13:00:00.750Z");

    @TempDir
    static Path dir;
    static A1Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("clinic.p12");
        Keytool.await(Keytool.start(store, "clinica", Keytool.DNAME, 365));
        cert = A1Certificate.load("nfe-sp", store, Keytool.PASSWORD.toCharArray(), null);
    }

    static NfeSettings settings(Dps.Environment environment, NfeSettings.Crt crt) {
        return new NfeSettings(CNPJ, "110042490114", "Clinica Bela Estetica Ltda", "Rua Augusta", "1500",
                "Consolacao", "3550308", "Sao Paulo", "SP", "01304001", crt, "1", environment, null, null);
    }

    static NfeDocuments documents(Dps.Environment environment) {
        return new NfeDocuments(settings(environment, NfeSettings.Crt.SIMPLES_NACIONAL), cert);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode charge() {
        return json("""
                {"id": "C-901", "patientId": "123", "appointmentId": "A-8", "amount": 350.00, "status": "PAID",
                 "payments": [{"paidOn": "2026-12-02", "amount": 350.00, "method": "PIX"}]}""");
    }

    static ObjectNode patient() {
        return json("""
                {"id": "123", "name": "  Maria   da Conceição  ", "cpf": "123.456.789-09"}""");
    }

    static ObjectNode procedure() {
        return json("""
                {"code": "R001", "name": "Protetor solar FPS 60", "kind": "PRODUCT", "price": 89.90,
                 "ncm": "33049990"}""");
    }

    static NfeDocuments.Result.Signed signed(NfeDocuments.Result r) {
        assertThat(r).isInstanceOf(NfeDocuments.Result.Signed.class);
        return (NfeDocuments.Result.Signed) r;
    }

    static List<String> problems(NfeDocuments.Result r) {
        assertThat(r).isInstanceOf(NfeDocuments.Result.Refused.class);
        return ((NfeDocuments.Result.Refused) r).problems().stream().map(CanonicalProblem::toString).toList();
    }

    static Document parse(String xml) {
        return SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), "test NF-e");
    }

    /** The text of the first element at a slash-separated path of NF-e local names below {@code infNFe}. */
    static String at(Document doc, String path) {
        Element e = (Element) doc.getElementsByTagNameNS(NFE_NS, "infNFe").item(0);
        for (String name : path.split("/")) {
            Element next = null;
            for (Node n = e.getFirstChild(); n != null && next == null; n = n.getNextSibling()) {
                if (n instanceof Element c && name.equals(c.getLocalName())) {
                    next = c;
                }
            }
            if (next == null) {
                return null;
            }
            e = next;
        }
        return e.getTextContent();
    }

    static List<String> children(Element e) {
        List<String> out = new ArrayList<>();
        NodeList list = e.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element c) {
                out.add(c.getLocalName());
            }
        }
        return out;
    }

    @Test
    void aProductChargeGivesASignedNfeThatValidatesAgainstTheBundledSchema() {
        NfeDocuments nfe = documents(Dps.Environment.HOMOLOGATION);
        NfeDocuments.Result.Signed s = signed(nfe.sign(charge(), patient(), procedure(), 42, NOW));

        assertThat(s.number()).isEqualTo(42);
        assertThat(s.xml()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><NFe xmlns=\"" + NFE_NS + "\">"
                + "<infNFe Id=\"" + s.key().infNFeId() + "\" versao=\"4.00\">");
        assertThat(s.xml()).contains("</infNFe><Signature xmlns=\"" + DSIG + "\">").endsWith("</Signature></NFe>");
        assertThat(nfe.validate(s.xml())).isEmpty();

        Document doc = parse(s.xml());
        assertThat(children(doc.getDocumentElement())).containsExactly("infNFe", "Signature");
        assertThat(children((Element) doc.getElementsByTagNameNS(NFE_NS, "infNFe").item(0))).containsExactly(
                "ide", "emit", "dest", "det", "total", "transp", "pag");
        assertThat(at(doc, "ide/cUF")).isEqualTo("35");
        assertThat(at(doc, "ide/natOp")).isEqualTo("Venda de mercadoria");
        assertThat(at(doc, "ide/mod")).isEqualTo("55");
        assertThat(at(doc, "ide/serie")).isEqualTo("1");
        assertThat(at(doc, "ide/nNF")).isEqualTo("42");
        assertThat(at(doc, "ide/dhEmi")).isEqualTo("2026-12-02T10:00:00-03:00");
        assertThat(at(doc, "ide/tpNF")).isEqualTo("1");
        assertThat(at(doc, "ide/idDest")).isEqualTo("1");
        assertThat(at(doc, "ide/cMunFG")).isEqualTo("3550308");
        assertThat(at(doc, "ide/tpImp")).isEqualTo("1");
        assertThat(at(doc, "ide/tpEmis")).isEqualTo("1");
        assertThat(at(doc, "ide/tpAmb")).isEqualTo("2");
        assertThat(at(doc, "ide/finNFe")).isEqualTo("1");
        assertThat(at(doc, "ide/indFinal")).isEqualTo("1");
        assertThat(at(doc, "ide/indPres")).isEqualTo("1");
        assertThat(at(doc, "ide/procEmi")).isEqualTo("0");
        assertThat(at(doc, "ide/verProc")).isEqualTo("Ponte-0.1");
        assertThat(at(doc, "emit/CNPJ")).isEqualTo(CNPJ);
        assertThat(at(doc, "emit/xNome")).isEqualTo("Clinica Bela Estetica Ltda");
        assertThat(at(doc, "emit/enderEmit/cMun")).isEqualTo("3550308");
        assertThat(at(doc, "emit/enderEmit/UF")).isEqualTo("SP");
        assertThat(at(doc, "emit/enderEmit/CEP")).isEqualTo("01304001");
        assertThat(at(doc, "emit/IE")).isEqualTo("110042490114");
        assertThat(at(doc, "emit/CRT")).isEqualTo("1");
        assertThat(at(doc, "dest/CPF")).isEqualTo("12345678909");
        assertThat(at(doc, "dest/indIEDest")).isEqualTo("9");
        assertThat(at(doc, "dest/enderDest")).isNull();
        assertThat(at(doc, "det/prod/cProd")).isEqualTo("R001");
        assertThat(at(doc, "det/prod/cEAN")).isEqualTo("SEM GTIN");
        assertThat(at(doc, "det/prod/xProd")).isEqualTo("Protetor solar FPS 60");
        assertThat(at(doc, "det/prod/NCM")).isEqualTo("33049990");
        assertThat(at(doc, "det/prod/CFOP")).isEqualTo("5102");
        assertThat(at(doc, "det/prod/uCom")).isEqualTo("UN");
        assertThat(new BigDecimal(at(doc, "det/prod/qCom"))).isEqualByComparingTo("1");
        assertThat(new BigDecimal(at(doc, "det/prod/vUnCom"))).isEqualByComparingTo("350");
        assertThat(at(doc, "det/prod/vProd")).isEqualTo("350.00");
        assertThat(at(doc, "det/prod/cEANTrib")).isEqualTo("SEM GTIN");
        assertThat(at(doc, "det/prod/uTrib")).isEqualTo("UN");
        assertThat(new BigDecimal(at(doc, "det/prod/vUnTrib"))).isEqualByComparingTo("350");
        assertThat(at(doc, "det/prod/indTot")).isEqualTo("1");
        assertThat(at(doc, "det/imposto/ICMS/ICMSSN102/orig")).isEqualTo("0");
        assertThat(at(doc, "det/imposto/ICMS/ICMSSN102/CSOSN")).isEqualTo("102");
        assertThat(at(doc, "det/imposto/PIS/PISOutr/CST")).isEqualTo("49");
        assertThat(at(doc, "det/imposto/PIS/PISOutr/vPIS")).isEqualTo("0.00");
        assertThat(at(doc, "det/imposto/COFINS/COFINSOutr/CST")).isEqualTo("49");
        assertThat(at(doc, "det/imposto/COFINS/COFINSOutr/vCOFINS")).isEqualTo("0.00");
        assertThat(at(doc, "total/ICMSTot/vBC")).isEqualTo("0.00");
        assertThat(at(doc, "total/ICMSTot/vICMS")).isEqualTo("0.00");
        assertThat(at(doc, "total/ICMSTot/vProd")).isEqualTo("350.00");
        assertThat(at(doc, "total/ICMSTot/vNF")).isEqualTo("350.00");
        assertThat(at(doc, "transp/modFrete")).isEqualTo("9");
        assertThat(at(doc, "pag/detPag/tPag")).isEqualTo("17");
        assertThat(at(doc, "pag/detPag/xPag")).isNull();
        assertThat(at(doc, "pag/detPag/vPag")).isEqualTo("350.00");
    }

    @Test
    void theSignatureVerifiesAndAChangedByteFailsIt() {
        NfeDocuments.Result.Signed s = signed(documents(Dps.Environment.HOMOLOGATION)
                .sign(charge(), patient(), procedure(), 42, NOW));
        byte[] bytes = s.xml().getBytes(StandardCharsets.UTF_8);
        assertThat(DpsPreview.verify(bytes)).isEqualTo(new XmlSignature.Verification(true, 1, "1 signature(s) valid"));
        assertThat(XmlSignature.verify(parse(s.xml())).valid()).isTrue();

        String tampered = s.xml().replaceFirst("<vProd>350.00</vProd>", "<vProd>350.01</vProd>");
        assertThat(tampered).isNotEqualTo(s.xml());
        XmlSignature.Verification v = DpsPreview.verify(tampered.getBytes(StandardCharsets.UTF_8));
        assertThat(v.valid()).isFalse();
        assertThat(v.reason()).contains("digest of #" + s.key().infNFeId()).contains("changed after signing");

        byte[] flipped = bytes.clone();
        int at = s.xml().indexOf("<xProd>") + "<xProd>".length();
        flipped[at] = (byte) (flipped[at] == 'P' ? 'Q' : 'P');
        assertThat(DpsPreview.verify(flipped).valid()).isFalse();
    }

    @Test
    void theAccessKeyIsTheOneRecomputedFromTheDocument() {
        NfeDocuments.Result.Signed s = signed(documents(Dps.Environment.HOMOLOGATION)
                .sign(charge(), patient(), procedure(), 42, NOW));
        Document doc = parse(s.xml());
        AccessKey key = s.key();
        int cNF = Integer.parseInt(at(doc, "ide/cNF"));
        assertThat(key).isEqualTo(AccessKey.of(35, "2612", CNPJ, 55, 1, 42, 1, cNF));
        assertThat(key.cDV()).isEqualTo(AccessKey.checkDigit(key.value().substring(0, 43)));
        assertThat(at(doc, "ide/cDV")).isEqualTo(String.valueOf(key.cDV()));
        assertThat(at(doc, "ide/cNF")).isEqualTo(key.cNF()).hasSize(8);
        assertThat(cNF).as("keyed by the certificate's secret").isEqualTo(NfeFromCanonical.numericCode(
                NfeDocuments.codeSecret(cert), CNPJ, "1", 42)).isNotEqualTo(42)
                .isNotEqualTo(NfeFromCanonical.numericCode(CNPJ, "1", 42));
        assertThat(key.value()).startsWith("352612" + CNPJ + "55" + "001" + "000000042" + "1");
        assertThat(AccessKey.parse(((Element) doc.getElementsByTagNameNS(NFE_NS, "infNFe").item(0))
                .getAttribute("Id"))).isEqualTo(key);
        String reference = ((Element) doc.getElementsByTagNameNS(DSIG, "Reference").item(0)).getAttribute("URI");
        assertThat(reference).isEqualTo("#" + key.infNFeId());
    }

    @Test
    void theSignedNfeValidatesAgainstTheOfficialSchema() {
        FiscalSchemas official = OfficialNfeSchemas.nfe();
        NfeDocuments nfe = documents(Dps.Environment.HOMOLOGATION);
        assertThat(official.validate(signed(nfe.sign(charge(), patient(), procedure(), 42, NOW)).xml())).isEmpty();

        ObjectNode p = patient();
        p.set("address", json("""
                {"street": "Rua Augusta", "number": "2000", "complement": "apto 12", "district": "Jardins",
                 "city": "São Paulo", "state": "SP", "postalCode": "01412-000", "municipalityCode": "3550308"}"""));
        ObjectNode c = charge();
        ((ObjectNode) c.get("payments").get(0)).put("method", "VOUCHER");
        String production = signed(documents(Dps.Environment.PRODUCTION).sign(c, p, procedure(), 999_999_999L,
                NOW)).xml();
        assertThat(official.validate(production)).isEmpty();
        assertThat(nfe.validate(production)).isEmpty();
    }

    @Test
    void theSameInputsGiveTheSameBytes() {
        String first = signed(documents(Dps.Environment.HOMOLOGATION).sign(charge(), patient(), procedure(), 42, NOW))
                .xml();
        String again = signed(documents(Dps.Environment.HOMOLOGATION).sign(charge(), patient(), procedure(), 42,
                NOW.plusMillis(200))).xml();
        assertThat(again).isEqualTo(first);

        NfeDocuments.Result.Signed next = signed(documents(Dps.Environment.HOMOLOGATION)
                .sign(charge(), patient(), procedure(), 43, NOW));
        assertThat(next.xml()).isNotEqualTo(first);
        assertThat(next.key().cNF()).isNotEqualTo(AccessKey.parse(first.substring(first.indexOf("Id=\"NFe") + 4,
                first.indexOf("Id=\"NFe") + 4 + 47)).cNF());
    }

    @Test
    void theNumericCodeIsNeverAForbiddenOneNorTheNumber() {
        for (long n = 1; n <= 20_000; n++) {
            int code = NfeFromCanonical.numericCode(CNPJ, "1", n);
            assertThat(code).isBetween(0, 99_999_999).isNotEqualTo((int) n);
            assertThat(String.format("%08d", code)).isNotIn("00000000", "11111111", "12345678", "23456789",
                    "01234567", "99999999");
        }
        assertThat(NfeFromCanonical.numericCode(CNPJ, "2", 42)).isNotEqualTo(NfeFromCanonical.numericCode(CNPJ, "1",
                42));
    }

    @Test
    void inHomologationTheRecipientNameIsTheMandatedText() {
        String homologation = signed(documents(Dps.Environment.HOMOLOGATION)
                .sign(charge(), patient(), procedure(), 42, NOW)).xml();
        assertThat(at(parse(homologation), "dest/xNome"))
                .isEqualTo("NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL");
        assertThat(homologation).doesNotContain("Maria");

        ObjectNode anonymous = patient();
        anonymous.remove("name");
        assertThat(documents(Dps.Environment.HOMOLOGATION).sign(charge(), anonymous, procedure(), 42, NOW))
                .isInstanceOf(NfeDocuments.Result.Signed.class);

        String production = signed(documents(Dps.Environment.PRODUCTION)
                .sign(charge(), patient(), procedure(), 42, NOW)).xml();
        assertThat(at(parse(production), "dest/xNome")).isEqualTo("Maria da Conceição");
        assertThat(at(parse(production), "ide/tpAmb")).isEqualTo("1");
        assertThat(problems(documents(Dps.Environment.PRODUCTION).sign(charge(), anonymous, procedure(), 42, NOW)))
                .containsExactly("Patient 123: name is missing, the NF-e needs the recipient's name (dest/xNome)");
    }

    @Test
    void problemsNameRecordAndFieldWithoutTheValues() {
        ObjectNode p = patient();
        p.put("cpf", "123.456.789-00");
        ObjectNode proc = procedure();
        proc.remove("ncm");
        proc.put("kind", "SERVICE");
        ObjectNode c = charge();
        c.put("amount", new BigDecimal("-5"));
        List<String> problems = problems(documents(Dps.Environment.PRODUCTION).sign(c, p, proc, 0, NOW));
        assertThat(problems).containsExactly(
                "Charge C-901: number (NF-e number 0) must be between 1 and 999999999 (nNF)",
                "Charge C-901: amount must be positive, with at most 2 decimal places and 11 integer digits (vProd)",
                "Patient 123: cpf is not a valid CPF (11 digits with valid check digits)",
                "Procedure R001: kind is SERVICE, not PRODUCT: a service is invoiced with an NFS-e, not an NF-e",
                "Procedure R001: ncm is missing, the NF-e needs the product's 8-digit NCM (det/prod/NCM)");
        assertThat(String.join("\n", problems)).doesNotContain("12345678900", "123.456.789-00", "Maria");

        ObjectNode missing = patient();
        missing.remove("cpf");
        ObjectNode badNcm = procedure();
        badNcm.put("ncm", "3304");
        assertThat(problems(documents(Dps.Environment.HOMOLOGATION).sign(charge(), missing, badNcm,
                1_000_000_000L, NOW))).containsExactly(
                "Charge C-901: number (NF-e number 1000000000) must be between 1 and 999999999 (nNF)",
                "Patient 123: cpf is missing, the NF-e needs the recipient's CPF (dest/CPF)",
                "Procedure R001: ncm is not an 8-digit NCM such as 3304.99.90 (det/prod/NCM)");

        assertThat(problems(documents(Dps.Environment.HOMOLOGATION).sign(charge(), patient(), null, 1, NOW)))
                .containsExactly("Charge C-901: appointmentId has no procedure: the NF-e needs the product sold (a "
                        + "Procedure of kind PRODUCT)");
        ObjectNode cancelled = charge();
        cancelled.put("status", "CANCELLED");
        assertThat(problems(documents(Dps.Environment.HOMOLOGATION).sign(cancelled, patient(), procedure(), 1,
                NOW))).containsExactly("Charge C-901: status is CANCELLED: no NF-e is issued for it");
    }

    @Test
    void aPunctuatedNcmIsAccepted() {
        ObjectNode proc = procedure();
        proc.put("ncm", "3304.99.90");
        Document doc = parse(signed(documents(Dps.Environment.HOMOLOGATION).sign(charge(), patient(), proc, 7, NOW))
                .xml());
        assertThat(at(doc, "det/prod/NCM")).isEqualTo("33049990");
    }

    @Test
    void theNormalRegimeIsRefusedForNow() {
        for (NfeSettings.Crt crt : List.of(NfeSettings.Crt.NORMAL, NfeSettings.Crt.SIMPLES_EXCESS)) {
            NfeDocuments nfe = new NfeDocuments(settings(Dps.Environment.HOMOLOGATION, crt), cert);
            List<String> problems = problems(nfe.sign(charge(), patient(), procedure(), 42, NOW));
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0)).contains("CRT " + crt.code() + ")").contains("not supported yet");
        }
        assertThat(problems(new NfeDocuments(settings(Dps.Environment.HOMOLOGATION, NfeSettings.Crt.NORMAL), cert)
                .sign(charge(), patient(), procedure(), 42, NOW)).get(0)).contains("CRT normal not supported yet");
    }

    @Test
    void thePaymentMethodGivesTPag() {
        NfeDocuments nfe = documents(Dps.Environment.HOMOLOGATION);
        for (String[] m : new String[][]{{"PIX", "17"}, {"CASH", "01"}, {"CREDIT_CARD", "03"}, {"DEBIT_CARD", "04"},
                {"BANK_SLIP", "15"}, {"BANK_TRANSFER", "18"}, {"CHEQUE", "99"}}) {
            ObjectNode c = charge();
            ((ObjectNode) c.get("payments").get(0)).put("method", m[0]);
            String xml = signed(nfe.sign(c, patient(), procedure(), 42, NOW)).xml();
            assertThat(at(parse(xml), "pag/detPag/tPag")).as(m[0]).isEqualTo(m[1]);
            assertThat(at(parse(xml), "pag/detPag/xPag")).isEqualTo("99".equals(m[1]) ? "Outros" : null);
        }
        ObjectNode unpaid = charge();
        unpaid.remove("payments");
        Document doc = parse(signed(nfe.sign(unpaid, patient(), procedure(), 42, NOW)).xml());
        assertThat(at(doc, "pag/detPag/tPag")).isEqualTo("99");
        assertThat(at(doc, "pag/detPag/vPag")).isEqualTo("350.00");
    }

    @Test
    void aCompleteAddressIsWrittenAnIncompleteOneLeftOut() {
        NfeDocuments nfe = documents(Dps.Environment.HOMOLOGATION);
        ObjectNode p = patient();
        p.set("address", json("""
                {"street": "Rua Augusta", "district": "Jardins", "city": "São Paulo", "state": "SP",
                 "postalCode": "01412-000", "municipalityCode": "3550308"}"""));
        Document doc = parse(signed(nfe.sign(charge(), p, procedure(), 42, NOW)).xml());
        assertThat(at(doc, "dest/enderDest/xLgr")).isEqualTo("Rua Augusta");
        assertThat(at(doc, "dest/enderDest/nro")).isEqualTo("S/N");
        assertThat(at(doc, "dest/enderDest/cMun")).isEqualTo("3550308");
        assertThat(at(doc, "dest/enderDest/xMun")).isEqualTo("São Paulo");
        assertThat(at(doc, "dest/enderDest/CEP")).isEqualTo("01412000");

        ((ObjectNode) p.get("address")).put("municipalityCode", "3304557"); // Rio de Janeiro, not in SP
        assertThat(at(parse(signed(nfe.sign(charge(), p, procedure(), 42, NOW)).xml()), "dest/enderDest")).isNull();
    }

    @Test
    void schemaProblemsInTheRecipientAreMasked() {
        NfeDocuments nfe = documents(Dps.Environment.HOMOLOGATION);
        String xml = signed(nfe.sign(charge(), patient(), procedure(), 42, NOW)).xml();
        List<SchemaProblem> problems = nfe.validate(xml.replace("<CPF>12345678909</CPF>", "<CPF>1234567890X</CPF>"));
        assertThat(problems).isNotEmpty();
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.element()).isEqualTo("/NFe/infNFe/dest/CPF");
            assertThat(p.message()).doesNotContain("1234567890X");
        });

        List<SchemaProblem> doctype = nfe.validate("<?xml version=\"1.0\"?><!DOCTYPE NFe SYSTEM "
                + "\"http://example.invalid/x.dtd\"><NFe xmlns=\"" + NFE_NS + "\"/>");
        assertThat(doctype).hasSize(1);
        assertThat(doctype.get(0).message()).contains("DOCTYPE");
        assertThat(nfe.validate(xml.replace("<Signature", "<Signatur").replace("</Signature>", "</Signatur>")))
                .isNotEmpty();
    }
}
