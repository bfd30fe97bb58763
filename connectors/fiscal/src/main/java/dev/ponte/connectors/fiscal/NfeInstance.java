package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.Sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One opened {@code nfe-sefaz} instance. Health: the certificate's expiry (DEGRADED in its last 30 days, DOWN once
 * expired) and whether the state's authorizer answers ({@code ?wsdl}; any HTTP status counts).
 */
final class NfeInstance implements ConnectorInstance {

    private final ConnectorContext context;
    private final A1Certificate certificate;
    private final SefazApi api;
    private final NfeSink sink;

    NfeInstance(ConnectorContext context) {
        this.context = context;
        ConnectorConfig config = context.config();
        List<String> problems = new ArrayList<>();
        NfeConfig nfe = NfeConfig.read(config, problems);
        if (nfe == null) {
            throw new ConfigurationException(problems);
        }
        this.certificate = config.has(A1Certificate.CERTIFICATE)
                ? NfseInstance.certificate(config, nfe.issuer().cnpj())
                : NfseInstance.sandboxCertificate(context, nfe.issuer().cnpj());
        this.api = new SefazApi(certificate, nfe.endpoints(), nfe.timeout());
        this.sink = new NfeSink(context, nfe, new NfeDocuments(nfe.issuer(), certificate), certificate,
                new SefazIssuance(api, nfe.issuer().environment()));
    }

    @Override
    public Sink sink() {
        return sink;
    }

    @Override
    public Health health() {
        A1Certificate.Expiry expiry = certificate.expiry(context.clock().instant());
        if (!expiry.usable()) {
            return expiry.health();
        }
        if (context.config().sandbox()) {
            String what = "sandbox mode: NF-e are signed and recorded, SEFAZ is not called; " + expiry.message();
            return expiry.state() == A1Certificate.Expiry.State.EXPIRING ? Health.degraded(what) : Health.up(what);
        }
        String remote;
        try {
            remote = "SEFAZ at " + api.host() + " answers (HTTP " + api.probe() + ")";
        } catch (IOException e) {
            return Health.down("SEFAZ at " + api.host() + " does not answer (" + e.getClass().getSimpleName()
                    + "); NF-e wait in ponte.out." + context.instance() + " and are issued once it answers; "
                    + expiry.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("health check interrupted");
        }
        return expiry.state() == A1Certificate.Expiry.State.EXPIRING
                ? Health.degraded(expiry.message() + "; " + remote) : Health.up(remote + "; " + expiry.message());
    }
}
