package dev.ponte.connectors.fiscal;

import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.RemoteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NFS-e connector passes the connector kit against a WireMock Sefin Nacional, signing with a self-signed
 * certificate and checking against the stand-in schemas of the test resources (the official ones are
 * {@link NfseSinkIT}'s).
 */
class NfseAcceptanceIT extends ConnectorAcceptanceTest {

    @TempDir
    static Path keys;
    static Path certificate;
    private SefinStandIn sefin;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = keys.resolve("clinica.p12");
        Keytool.await(Keytool.start(certificate, "clinica", Keytool.DNAME, 365));
    }

    @BeforeEach
    void startSefin() throws Exception {
        sefin = new SefinStandIn();
    }

    @AfterEach
    void stopSefin() {
        sefin.close();
    }

    @Override
    protected Connector connector() {
        return new NfseConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return Invoices.config(sefin.baseUrl(), certificate, Invoices.standInSchemas());
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        Map<String, String> wrong = new LinkedHashMap<>(goodConfig(workDir));
        wrong.put("issuer-cnpj", "11222333000100"); // check digits wrong
        wrong.put("schemas", workDir.resolve("no-schemas-here").toString());
        wrong.put("certificate-password", "not-the-password");
        Map<String, String> mei = new LinkedHashMap<>(goodConfig(workDir));
        mei.put("issuer-simples-nacional", "mei");
        return List.of(
                new BadConfig("an invalid CNPJ, a folder without the schemas, a wrong certificate password", wrong,
                        Set.of("issuer-cnpj", "schemas", "certificate-password")),
                new BadConfig("an apportionment without me-epp", mei, Set.of("issuer-simples-apportionment")));
    }

    private final Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Override
    protected OutboundCommand sampleCommand() {
        return Invoices.pending("inv-1", 42, time);
    }

    @Override
    protected void remoteAccepts() {
        sefin.accepts();
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        sefin.failsThenAccepts(times);
    }

    @Override
    protected void remoteRejects() {
        sefin.rejects("E0310", "Data de emissão da DPS posterior à data de processamento");
    }

    @Override
    protected int externalEffects() {
        return sefin.issued();
    }

    @Override
    protected List<RemoteRequest> remoteRequests() {
        return sefin.requests();
    }

    @Override
    protected void resetRemote() {
        sefin.server.resetRequests();
    }

    @Override
    protected void remoteUnreachable() {
        sefin.server.stop();
    }

    @Override
    protected void remoteReachable() {
        sefin.server.start();
    }
}
