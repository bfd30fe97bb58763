package dev.ponte.connectors.fiscal;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS handshake with a client certificate, for real: a WireMock HTTPS server that demands a client certificate
 * and trusts only the clinic's A1 (as the Sefin trusts ICP-Brasil). The A1 gets its answer; another company's
 * certificate is refused in the handshake, before any HTTP.
 */
class MutualTlsIT {

    @TempDir
    static Path dir;
    static WireMockServer sefin;
    static A1Certificate clinic;
    static A1Certificate stranger;
    static KeyStore serverTrust;

    @BeforeAll
    static void start() throws Exception {
        Path a1 = dir.resolve("clinica.p12");
        Path other = dir.resolve("outra.p12");
        Path server = dir.resolve("server.p12");
        Keytool.await(Keytool.start(a1, "clinica", Keytool.DNAME, 365),
                Keytool.start(other, "outra", "CN=OUTRA CLINICA LTDA:11222333000181, C=BR", 365),
                Keytool.start(server, "sefin", "CN=localhost, O=Sefin stand-in", 365, "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost"));
        clinic = A1Certificate.load("nfse", a1, Keytool.PASSWORD.toCharArray(), null);
        stranger = A1Certificate.load("nfse", other, Keytool.PASSWORD.toCharArray(), null);
        // the server trusts the clinic's certificate only
        Path trust = dir.resolve("trust.p12");
        Path cer = dir.resolve("clinica.cer");
        run(Keytool.binary().toString(), "-exportcert", "-keystore", a1.toString(), "-storepass", Keytool.PASSWORD,
                "-alias", "clinica", "-file", cer.toString());
        run(Keytool.binary().toString(), "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore",
                trust.toString(), "-storepass", Keytool.PASSWORD, "-alias", "clinica", "-file", cer.toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        sefin = new WireMockServer(options().httpDisabled(true).httpsPort(port).bindAddress("127.0.0.1")
                .keystorePath(server.toString()).keystorePassword(Keytool.PASSWORD).keyManagerPassword(Keytool.PASSWORD)
                .keystoreType("PKCS12").needClientAuth(true).trustStorePath(trust.toString())
                .trustStorePassword(Keytool.PASSWORD).trustStoreType("PKCS12"));
        sefin.start();
        sefin.stubFor(get(urlPathMatching("/SefinNacional/dps/.*")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        // the client trusts the stand-in's self-signed server certificate (the real Sefin has a public CA's)
        Path serverCer = dir.resolve("server.cer");
        run(Keytool.binary().toString(), "-exportcert", "-keystore", server.toString(), "-storepass",
                Keytool.PASSWORD, "-alias", "sefin", "-file", serverCer.toString());
        serverTrust = KeyStore.getInstance("PKCS12");
        serverTrust.load(null, null);
        try (InputStream in = Files.newInputStream(serverCer)) {
            serverTrust.setCertificateEntry("sefin", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
    }

    @AfterAll
    static void stop() {
        if (sefin != null) {
            sefin.stop();
        }
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    NfseApi api(A1Certificate certificate) {
        return new NfseApi(certificate, URI.create("https://127.0.0.1:" + sefin.httpsPort() + "/SefinNacional"),
                Duration.ofSeconds(5), serverTrust);
    }

    @Test
    void theA1IsPresentedInTheHandshakeAndTheServerAnswers() throws Exception {
        assertThat(api(clinic).dps("DPS" + "1".repeat(42)).status()).isEqualTo(404);
    }

    @Test
    void aCertificateTheServerDoesNotTrustIsRefusedBeforeAnyHttp() {
        int before = sefin.getAllServeEvents().size();
        assertThatThrownBy(() -> api(stranger).dps("DPS" + "1".repeat(42)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(sefin.getAllServeEvents()).as("requests that reached HTTP").hasSize(before);
    }
}
