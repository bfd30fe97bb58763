package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The facade of {@code ponte invoice preview}: canonical records in, a signed valid DPS or the problems out. */
class DpsPreviewTest {

    @TempDir
    static Path dir;
    private static A1Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("clinica.p12");
        Keytool.await(Keytool.start(store, "clinica", Keytool.DNAME, 365));
        cert = A1Certificate.loadConfigured("ponte.fiscal.", store, Keytool.PASSWORD.toCharArray(), null);
    }

    @Test
    void aChargeBecomesASignedDocumentThatValidatesAndVerifies() {
        FiscalSchemas schemas = OfficialSchemas.nfse();
        DpsPreview preview = new DpsPreview(DpsFromCanonicalTest.settings(null), schemas, cert);
        DpsPreview.Result r = preview.preview(DpsFromCanonicalTest.charge(), DpsFromCanonicalTest.patient(),
                DpsFromCanonicalTest.procedure(), 42, DpsFromCanonicalTest.NOW, LocalDate.parse("2026-12-01"));
        assertThat(r).isInstanceOf(DpsPreview.Result.Signed.class);
        DpsPreview.Result.Signed signed = (DpsPreview.Result.Signed) r;
        assertThat(signed.id()).isEqualTo("DPS3550308211222333000181" + "00001" + "000000000000042");
        assertThat(signed.number()).isEqualTo(42);
        assertThat(signed.xml()).startsWith(DpsPreview.DECLARATION + "<DPS ").contains("<dCompet>2026-12-01</dCompet>")
                .contains("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">");
        assertThat(schemas.validate(signed.xml())).isEmpty();
        assertThat(DpsPreview.verify(signed.xml().getBytes(StandardCharsets.UTF_8)).valid()).isTrue();
        assertThat(DpsPreview.verify(signed.xml().replace("<nDPS>42", "<nDPS>43")
                .getBytes(StandardCharsets.UTF_8)).valid()).isFalse();
    }

    @Test
    void recordsThatMakeNoDpsGiveTheBuildersProblems() {
        FiscalSchemas schemas = OfficialSchemas.nfse();
        var patient = DpsFromCanonicalTest.patient();
        patient.remove("cpf");
        DpsPreview.Result r = new DpsPreview(DpsFromCanonicalTest.settings(null), schemas, cert).preview(
                DpsFromCanonicalTest.charge(), patient, DpsFromCanonicalTest.procedure(), 1, DpsFromCanonicalTest.NOW,
                null);
        assertThat(r).isInstanceOf(DpsPreview.Result.Refused.class);
        assertThat(((DpsPreview.Result.Refused) r).problems()).extracting(CanonicalProblem::toString)
                .containsExactly("Patient 123: cpf is missing, the NFS-e needs the taker's CPF or CNPJ");
    }

    @Test
    void aCertificateLoadedUnderAnotherPrefixNamesThoseKeys() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> A1Certificate.loadConfigured("ponte.fiscal.",
                        dir.resolve("clinica.p12"), "wrong".toCharArray(), null))
                .hasMessageContaining("ponte.fiscal.certificate-password: wrong password")
                .hasMessageNotContaining("wrong\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FiscalSchemas.nfse(null, "ponte.fiscal.schemas"))
                .hasMessageContaining("Set the option ponte.fiscal.schemas to the folder that holds DPS_v1.00.xsd");
    }
}
