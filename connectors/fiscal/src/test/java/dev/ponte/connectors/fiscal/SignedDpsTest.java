package dev.ponte.connectors.fiscal;

import dev.ponte.xml.SafeXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pieces together, as the fiscal connector will chain them: a DPS built for a typical procedure, signed on its
 * {@code infDPS} with the clinic's A1 certificate, is still valid against the official DPS schema (the signature
 * where the schema puts it), and its signature verifies; one changed byte of the signed content breaks the signature
 * but not the schema, which is why both checks run before a document leaves.
 */
class SignedDpsTest {

    @TempDir
    static Path dir;
    private static A1Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("clinica.p12");
        Keytool.await(Keytool.start(store, "clinica", Keytool.DNAME, 365));
        cert = A1Certificate.load("nfse", store, Keytool.PASSWORD.toCharArray(), null);
    }

    @Test
    void aSignedDpsIsValidAgainstTheOfficialSchemaAndItsSignatureVerifies() throws Exception {
        FiscalSchemas schemas = OfficialSchemas.nfse();
        Dps dps = DpsXmlTest.typical();
        Document doc = SafeXml.parse(DpsXml.write(dps).getBytes(StandardCharsets.UTF_8), "the DPS");
        XmlSignature.sign(doc, dps.id().value(), XmlSignature.Algorithms.NFSE_NACIONAL, cert);
        String signed = XmlSignatureTest.serialize(doc);

        assertThat(schemas.validate(signed)).as("the signed DPS against DPS_v1.00.xsd").isEmpty();
        assertThat(signed).contains("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">")
                .contains("URI=\"#" + dps.id().value() + "\"");
        XmlSignature.Verification ok = XmlSignature.verify(SafeXml.parse(signed.getBytes(StandardCharsets.UTF_8),
                "the signed DPS"));
        assertThat(ok.valid()).as(ok.reason()).isTrue();

        String tampered = signed.replace("<nDPS>", "<nDPS>9");
        assertThat(tampered).isNotEqualTo(signed);
        assertThat(schemas.validate(tampered)).as("still well formed and valid").isEmpty();
        XmlSignature.Verification broken = XmlSignature.verify(SafeXml.parse(
                tampered.getBytes(StandardCharsets.UTF_8), "the changed DPS"));
        assertThat(broken.valid()).isFalse();
        assertThat(broken.reason()).contains("changed after signing");
    }
}
