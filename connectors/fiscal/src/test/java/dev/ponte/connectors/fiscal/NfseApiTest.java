package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mTLS part of {@link NfseApi}, the base URLs and the payload encoding, without a server. */
class NfseApiTest {

    @TempDir
    static Path dir;
    static A1Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("clinica.p12");
        Keytool.await(Keytool.startValidAt(store, "clinica", Keytool.DNAME, DpsFromCanonicalTest.NOW));
        cert = A1Certificate.load("nfse", store, Keytool.PASSWORD.toCharArray(), null);
    }

    @Test
    void theKeyManagerPresentsTheA1KeyAndCertificate() throws Exception {
        X509KeyManager km = NfseApi.keyManager(cert);

        String[] aliases = km.getClientAliases("RSA", null);
        assertThat(aliases).containsExactly(cert.alias());
        assertThat(km.chooseClientAlias(new String[] {"RSA"}, null, null)).isEqualTo(cert.alias());
        assertThat(km.getPrivateKey(cert.alias())).isEqualTo(cert.privateKey());
        assertThat(km.getCertificateChain(cert.alias())).containsExactly(cert.certificate());
    }

    @Test
    void theTlsContextIsBuiltOnIt() {
        SSLContext context = NfseApi.sslContext(cert);
        assertThat(context.getProtocol()).isEqualTo("TLS");
        assertThat(context.createSSLEngine().getSSLParameters().getProtocols()).contains("TLSv1.2");
    }

    @Test
    void baseUrlsByEnvironmentWithHomologationAsTheDefault() {
        assertThat(NfseApi.baseUrl(Dps.Environment.PRODUCTION)).isEqualTo("https://sefin.nfse.gov.br/SefinNacional");
        assertThat(NfseApi.baseUrl(Dps.Environment.HOMOLOGATION))
                .isEqualTo("https://sefin.producaorestrita.nfse.gov.br/SefinNacional");
        assertThat(NfseApi.baseUrl(null)).isEqualTo(NfseApi.HOMOLOGATION);
        assertThat(NfseApi.of(cert, Dps.Environment.PRODUCTION, Duration.ofSeconds(5)).host())
                .isEqualTo("sefin.nfse.gov.br");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new NfseApi(cert, URI.create("ftp://x/"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> new NfseApi(cert, URI.create(NfseApi.HOMOLOGATION), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        NfseApi api = new NfseApi(cert, URI.create(NfseApi.HOMOLOGATION), Duration.ofSeconds(1));
        assertThatThrownBy(() -> api.dps("DPS../../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePayloadIsGzipThenBase64OfTheUtf8Bytes() throws Exception {
        String xml = "<DPS>Procedimento estético — São Paulo</DPS>";
        byte[] gzip = Base64.getDecoder().decode(NfseApi.gzipBase64(xml));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(xml.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void repliesReadBothLetterCasesAndBothErrorShapes() {
        assertThat(NfseReplies.errors("{\"erros\":[{\"Codigo\":\"E0014\",\"Descricao\":\"já existe\"}]}"))
                .containsExactly(new NfseReplies.Message("E0014", "já existe"));
        assertThat(NfseReplies.errors("{\"erro\":{\"codigo\":\"E1\",\"descricao\":\"d\",\"complemento\":\"c\"}}"))
                .containsExactly(new NfseReplies.Message("E1", "d"));
        assertThat(NfseReplies.errors("<html>Bad gateway</html>")).isEmpty();
        assertThat(NfseReplies.accessKey("{\"ChaveAcesso\":\"123\"}")).isEqualTo("123");
    }
}
