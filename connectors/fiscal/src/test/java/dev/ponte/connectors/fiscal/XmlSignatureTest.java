package dev.ponte.connectors.fiscal;

import dev.ponte.xml.SafeXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class XmlSignatureTest {

    private static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    private static final String NFE_NS = "http://www.portalfiscal.inf.br/nfe";
    private static final String NFSE_NS = "http://www.sped.fazenda.gov.br/nfse";
    private static final String NFE_ID = "NFe35260106916714000120550010000012451440396743";
    private static final String DPS_ID = "DPS355030821234567800019500001000000000000001";
    private static final String SAMPLE = "sample-35180834128745000152550010000476781421693968-nfe.xml";

    @TempDir
    static Path dir;

    static A1Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("clinic.p12");
        Keytool.await(Keytool.start(store, "clinica", Keytool.DNAME, 365));
        cert = A1Certificate.load("nfse-sp", store, Keytool.PASSWORD.toCharArray(), null);
    }

    private static Document nfe() {
        return parse("<NFe xmlns=\"" + NFE_NS + "\"><infNFe Id=\"" + NFE_ID + "\" versao=\"4.00\"><ide><cUF>35</cUF>"
                + "<natOp>Prestação de serviço</natOp></ide></infNFe></NFe>");
    }

    private static Document dps() {
        return parse("<DPS xmlns=\"" + NFSE_NS + "\" versao=\"1.00\"><infDPS Id=\"" + DPS_ID + "\"><tpAmb>2</tpAmb>"
                + "<dhEmi>2026-01-15T10:00:00-03:00</dhEmi><verAplic>ponte-0.1</verAplic></infDPS></DPS>");
    }

    @Test
    void signsAnNfeTheWayTheManualSays() throws Exception {
        Document doc = nfe();
        Element signature = XmlSignature.sign(doc, NFE_ID, XmlSignature.Algorithms.NFE, cert);
        String xml = serialize(doc);

        assertThat(signature.getLocalName()).isEqualTo("Signature");
        assertThat(xml).doesNotContain("&#13;").doesNotContain("\n").doesNotContain("\r");
        assertThat(xml).contains("</infNFe><Signature xmlns=\"" + DSIG + "\">").doesNotContain("ds:");
        Document fresh = parse(xml);
        checkStructure(fresh, "NFe", "infNFe", NFE_ID, "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                "http://www.w3.org/2000/09/xmldsig#sha1");
        assertThat(jdkValidates(xml, false)).isTrue();
        assertThat(XmlSignature.verify(parse(xml))).isEqualTo(new XmlSignature.Verification(true, 1,
                "1 signature(s) valid"));
    }

    @Test
    void signsADpsWithTheNationalNfseAlgorithms() throws Exception {
        Document doc = dps();
        XmlSignature.sign(doc, DPS_ID, XmlSignature.Algorithms.NFSE_NACIONAL, cert);
        String xml = serialize(doc);

        checkStructure(parse(xml), "DPS", "infDPS", DPS_ID, XmlSignature.Algorithms.NFSE_NACIONAL.signatureMethod(),
                XmlSignature.Algorithms.NFSE_NACIONAL.digestMethod());
        assertThat(jdkValidates(xml, false)).isTrue();
        assertThat(XmlSignature.verify(parse(xml)).valid()).isTrue();
    }

    @Test
    void signsWithSha256WhenAskedAndTheJdkSecureModeAcceptsIt() throws Exception {
        Document doc = dps();
        XmlSignature.sign(doc, DPS_ID, XmlSignature.Algorithms.RSA_SHA256, cert);
        String xml = serialize(doc);

        checkStructure(parse(xml), "DPS", "infDPS", DPS_ID, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "http://www.w3.org/2001/04/xmlenc#sha256");
        assertThat(jdkValidates(xml, true)).isTrue();
        assertThat(XmlSignature.verify(parse(xml)).valid()).isTrue();
    }

    @Test
    void aChangedByteInTheSignedContentFailsVerification() throws Exception {
        Document doc = nfe();
        XmlSignature.sign(doc, NFE_ID, XmlSignature.Algorithms.NFE, cert);
        String xml = serialize(doc);
        String tampered = xml.replace("<cUF>35</cUF>", "<cUF>36</cUF>");
        assertThat(tampered).isNotEqualTo(xml);

        XmlSignature.Verification v = XmlSignature.verify(parse(tampered));
        assertThat(v.valid()).isFalse();
        assertThat(v.reason()).contains("digest of #" + NFE_ID).contains("changed after signing");
        assertThat(jdkValidates(tampered, false)).isFalse();
    }

    @Test
    void aChangedSignatureValueFailsVerification() throws Exception {
        Document doc = dps();
        XmlSignature.sign(doc, DPS_ID, XmlSignature.Algorithms.NFSE_NACIONAL, cert);
        String xml = serialize(doc);
        int at = xml.indexOf("<SignatureValue>") + "<SignatureValue>".length() + 10;
        char c = xml.charAt(at);
        String tampered = xml.substring(0, at) + (c == 'A' ? 'B' : 'A') + xml.substring(at + 1);

        XmlSignature.Verification v = XmlSignature.verify(parse(tampered));
        assertThat(v.valid()).isFalse();
        assertThat(v.reason()).contains("SignatureValue does not match").doesNotContain("digest of");
        assertThat(jdkValidates(tampered, false)).isFalse();
    }

    @Test
    void theSharedNfeSampleResignedStillValidatesAgainstTheSchema() throws Exception {
        Path folder = nfeSchemas();
        Document proc = SafeXml.parse(Files.readAllBytes(folder.resolve(SAMPLE)), SAMPLE);
        Element nfe = (Element) proc.getElementsByTagNameNS(NFE_NS, "NFe").item(0);
        Document doc = SafeXml.parse("<x/>".getBytes(StandardCharsets.UTF_8), "empty");
        doc.replaceChild(doc.importNode(nfe, true), doc.getDocumentElement());
        Element old = (Element) doc.getElementsByTagNameNS(DSIG, "Signature").item(0);
        old.getParentNode().removeChild(old);
        String id = ((Element) doc.getElementsByTagNameNS(NFE_NS, "infNFe").item(0)).getAttribute("Id");
        assertThat(id).isEqualTo("NFe35180834128745000152550010000476781421693968");

        XmlSignature.sign(doc, id, XmlSignature.Algorithms.NFE, cert);
        String xml = serialize(doc);

        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        Schema schema = sf.newSchema(folder.resolve("nfe_v4.00.xsd").toFile());
        try {
            schema.newValidator().validate(new StreamSource(new StringReader(xml)));
        } catch (SAXException e) {
            throw new AssertionError("re-signed sample is not valid against nfe_v4.00.xsd: " + e.getMessage(), e);
        }
        checkStructure(parse(xml), "NFe", "infNFe", id, "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                "http://www.w3.org/2000/09/xmldsig#sha1");
        assertThat(XmlSignature.verify(parse(xml)).valid()).isTrue();
        assertThat(jdkValidates(xml, false)).isTrue();
        assertThat(serialize(parse(xml))).contains("</infNFe><Signature xmlns=\"" + DSIG + "\">");
    }

    @Test
    void theSharedSamplesOwnSignaturesFailWithAReason() throws Exception {
        Path folder = nfeSchemas();
        // anonymised and re-indented after signing: the digest no longer matches
        XmlSignature.Verification anonymised = XmlSignature.verify(
                SafeXml.parse(Files.readAllBytes(folder.resolve(SAMPLE)), SAMPLE));
        assertThat(anonymised.valid()).isFalse();
        assertThat(anonymised.reason()).contains("the digest of #NFe35180834128745000152550010000476781421693968");
        // its Reference URI has a stray "i" (#NFei4117...)
        String proc = "sample-41170706117473000150550010000463202612756525-procNFe.xml";
        XmlSignature.Verification broken = XmlSignature.verify(
                SafeXml.parse(Files.readAllBytes(folder.resolve(proc)), proc));
        assertThat(broken.valid()).isFalse();
        assertThat(broken.reason()).contains("#NFei41170706117473000150550010000463202612756525 names no element");
    }

    @Test
    void anUnknownOrDuplicateIdIsRefused() {
        assertThatThrownBy(() -> XmlSignature.sign(nfe(), "NFe0", XmlSignature.Algorithms.NFE, cert))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no element")
                .hasMessageContaining("Id=\"NFe0\"");
        Document twice = parse("<r><a Id=\"x\"/><b Id=\"x\"/></r>");
        assertThatThrownBy(() -> XmlSignature.sign(twice, "x", XmlSignature.Algorithms.NFE, cert))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 elements");
        Document signed = nfe();
        XmlSignature.sign(signed, NFE_ID, XmlSignature.Algorithms.NFE, cert);
        assertThatThrownBy(() -> XmlSignature.sign(signed, NFE_ID, XmlSignature.Algorithms.NFE, cert))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already signed");
    }

    @Test
    void verificationRefusesUnsignedWrappedAndExternalReferences() throws Exception {
        assertThat(XmlSignature.verify(nfe())).isEqualTo(new XmlSignature.Verification(false, 0,
                "the document has no Signature element"));

        Document doc = nfe();
        XmlSignature.sign(doc, NFE_ID, XmlSignature.Algorithms.NFE, cert);
        String xml = serialize(doc);
        String wrapped = xml.replace("</NFe>", "<infNFe Id=\"" + NFE_ID + "\"/></NFe>");
        assertThat(XmlSignature.verify(parse(wrapped)).reason()).contains("duplicate Ids");

        String external = xml.replace("URI=\"#" + NFE_ID + "\"", "URI=\"http://example.invalid/x\"");
        XmlSignature.Verification v = XmlSignature.verify(parse(external));
        assertThat(v.valid()).isFalse();
        assertThat(v.reason()).contains("not a same-document");
    }

    private static void checkStructure(Document doc, String root, String signedName, String id, String sigAlg,
                                       String digestAlg) throws Exception {
        Element rootEl = doc.getDocumentElement();
        assertThat(rootEl.getLocalName()).isEqualTo(root);
        List<Element> children = children(rootEl);
        assertThat(children).extracting(Element::getLocalName).containsExactly(signedName, "Signature");
        Element signature = children.get(1);
        assertThat(signature.getNamespaceURI()).isEqualTo(DSIG);
        assertThat(signature.getPrefix()).isNull();
        assertThat(children(signature)).extracting(Element::getLocalName)
                .containsExactly("SignedInfo", "SignatureValue", "KeyInfo");

        Element signedInfo = children(signature).get(0);
        List<Element> si = children(signedInfo);
        assertThat(si).extracting(Element::getLocalName)
                .containsExactly("CanonicalizationMethod", "SignatureMethod", "Reference");
        assertThat(si.get(0).getAttribute("Algorithm")).isEqualTo("http://www.w3.org/TR/2001/REC-xml-c14n-20010315");
        assertThat(si.get(1).getAttribute("Algorithm")).isEqualTo(sigAlg);
        Element reference = si.get(2);
        assertThat(reference.getAttribute("URI")).isEqualTo("#" + id);
        List<Element> ref = children(reference);
        assertThat(ref).extracting(Element::getLocalName).containsExactly("Transforms", "DigestMethod", "DigestValue");
        assertThat(children(ref.get(0))).extracting(t -> t.getAttribute("Algorithm")).containsExactly(
                "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
                "http://www.w3.org/TR/2001/REC-xml-c14n-20010315");
        assertThat(ref.get(1).getAttribute("Algorithm")).isEqualTo(digestAlg);

        Element keyInfo = children(signature).get(2);
        assertThat(children(keyInfo)).extracting(Element::getLocalName).containsExactly("X509Data");
        List<Element> x509 = children(children(keyInfo).get(0));
        assertThat(x509).extracting(Element::getLocalName).containsExactly("X509Certificate");
        assertThat(x509.get(0).getTextContent()).doesNotContainPattern("\\s");
        assertThat(children(signature).get(1).getTextContent()).doesNotContainPattern("\\s").isNotEmpty();
        byte[] der = Base64.getDecoder().decode(x509.get(0).getTextContent());
        assertThat(der).isEqualTo(cert.certificate().getEncoded());
    }

    /** Independent check with the JDK API alone: a fresh parse, DOMValidateContext, XMLSignature.validate. */
    private static boolean jdkValidates(String xml, boolean secure) throws Exception {
        Document doc = parse(xml);
        Element signature = (Element) doc.getElementsByTagNameNS(DSIG, "Signature").item(0);
        Element signed = (Element) signature.getPreviousSibling();
        KeySelector fromKeyInfo = new KeySelector() {
            @Override
            public KeySelectorResult select(javax.xml.crypto.dsig.keyinfo.KeyInfo keyInfo, Purpose purpose,
                                            javax.xml.crypto.AlgorithmMethod method,
                                            javax.xml.crypto.XMLCryptoContext context) {
                X509Data data = (X509Data) keyInfo.getContent().get(0);
                Key key = ((X509Certificate) data.getContent().get(0)).getPublicKey();
                return () -> key;
            }
        };
        DOMValidateContext context = new DOMValidateContext(fromKeyInfo, signature);
        context.setIdAttributeNS(signed, null, "Id");
        // SHA-1 (the NF-e's algorithm) is refused by the JDK 17 secure validation mode
        context.setProperty("org.jcp.xml.dsig.secureValidation", secure);
        return XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(context).validate(context);
    }

    private static Path nfeSchemas() {
        String env = System.getenv("PONTE_FISCAL_SCHEMAS_NFE");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            assumeTrue(Files.isRegularFile(p.resolve("nfe_v4.00.xsd")) && Files.isRegularFile(p.resolve(SAMPLE)),
                    "PONTE_FISCAL_SCHEMAS_NFE=" + env + " has no nfe_v4.00.xsd and " + SAMPLE + "; test skipped");
            return p;
        }
        Optional<Path> found = Optional.empty();
        for (Path p = Path.of("").toAbsolutePath(); p != null && found.isEmpty(); p = p.getParent()) {
            Path candidate = p.resolve("shared/schemas/nfe-4.00");
            if (Files.isRegularFile(candidate.resolve("nfe_v4.00.xsd"))
                    && Files.isRegularFile(candidate.resolve(SAMPLE))) {
                found = Optional.of(candidate);
            }
        }
        assumeTrue(found.isPresent(), "no shared/schemas/nfe-4.00 (with nfe_v4.00.xsd and " + SAMPLE + ") above "
                + Path.of("").toAbsolutePath() + " and PONTE_FISCAL_SCHEMAS_NFE is not set; NF-e schema test skipped");
        return found.get();
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }

    private static Document parse(String xml) {
        return SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), "test document");
    }

    /** The document as text, without an XML declaration (also used by SignedDpsTest). */
    static String serialize(Document doc) throws Exception {
        TransformerFactory tf = TransformerFactory.newInstance();
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        Transformer t = tf.newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        StringWriter out = new StringWriter();
        t.transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }
}
