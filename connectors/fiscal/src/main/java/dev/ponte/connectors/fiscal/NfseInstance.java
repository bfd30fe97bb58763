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
 * One opened {@code nfse-nacional} instance: the schemas, the certificate, the API client and the sink. Health is
 * the certificate's expiry (DEGRADED in its last 30 days, DOWN once expired) and whether the national API answers
 * at all (any HTTP status counts: the probe asks for a DPS that does not exist).
 */
final class NfseInstance implements ConnectorInstance {

    /** A DPS Id of the right shape that no issuer has: the health probe's question. */
    static final String PROBE_ID = "DPS" + "0".repeat(42);

    private final ConnectorContext context;
    private final A1Certificate certificate;
    private final NfseApi api;
    private final NfseSink sink;

    NfseInstance(ConnectorContext context) {
        this.context = context;
        ConnectorConfig config = context.config();
        List<String> problems = new ArrayList<>();
        FiscalConfig fiscal = FiscalConfig.read(config, problems);
        if (fiscal == null) {
            throw new ConfigurationException(problems);
        }
        FiscalSchemas schemas;
        FiscalSchemas events;
        try {
            schemas = FiscalSchemas.nfse(fiscal.schemas(), config.fullKey(FiscalConfig.SCHEMAS));
            events = FiscalSchemas.nfseEvents(fiscal.schemas(), config.fullKey(FiscalConfig.SCHEMAS));
        } catch (MissingSchemaException e) {
            throw new ConfigurationException(List.of(config.fullKey(FiscalConfig.SCHEMAS) + ": " + e.getMessage()));
        }
        this.certificate = config.has(A1Certificate.CERTIFICATE) ? certificate(config, fiscal.clinic().cnpj())
                : sandboxCertificate(context, fiscal.clinic().cnpj());
        this.api = new NfseApi(certificate, fiscal.baseUrl(), fiscal.timeout());
        this.sink = new NfseSink(context, fiscal, new DpsPreview(fiscal.clinic(), schemas, certificate), certificate,
                new Issuance(api), events, new Cancellations(api));
    }

    /**
     * The configured certificate, refused when its CNPJ is another company's than {@code issuer}.
     *
     * @param issuer the issuer's CNPJ, or null when it is not known (not valid): the company is then not compared
     */
    static A1Certificate certificate(ConnectorConfig config, String issuer) {
        A1Certificate cert = A1Certificate.loadConfigured(config.fullKey(""), config.path(A1Certificate.CERTIFICATE),
                config.string(A1Certificate.PASSWORD).toCharArray(), config.string(A1Certificate.ALIAS));
        if (issuer != null && cert.cnpj().isPresent()
                && !cert.cnpj().get().substring(0, 8).equals(issuer.substring(0, 8))) {
            throw new ConfigurationException(List.of(config.fullKey(A1Certificate.CERTIFICATE) + ": the certificate '"
                    + cert.subjectCn() + "' belongs to another company than " + config.fullKey(FiscalConfig.CNPJ)
                    + " (the first 8 digits of the CNPJ differ); install the A1 certificate of the issuing clinic"));
        }
        return cert;
    }

    /** Sandbox mode without a certificate: the Ponte sandbox certificate of the issuer (the preview's too). */
    static A1Certificate sandboxCertificate(ConnectorContext context, String cnpj) {
        try {
            return SandboxCertificate.obtain(context.dataDir(), cnpj).certificate();
        } catch (SandboxCertificate.NoKeytool | IOException e) {
            throw new ConfigurationException(List.of(context.config().fullKey(A1Certificate.CERTIFICATE)
                    + ": not set, and the sandbox certificate cannot be made: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException(List.of(context.config().fullKey(A1Certificate.CERTIFICATE)
                    + ": interrupted while making the sandbox certificate"));
        }
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
            String what = "sandbox mode: documents are signed and recorded, the national API is not called; "
                    + expiry.message();
            return expiry.state() == A1Certificate.Expiry.State.EXPIRING ? Health.degraded(what) : Health.up(what);
        }
        String remote;
        try {
            int status = api.dps(PROBE_ID).status();
            remote = "national NFS-e API at " + api.host() + " answers (HTTP " + status + ")";
        } catch (IOException e) {
            return Health.down("the national NFS-e API at " + api.host() + " does not answer ("
                    + e.getClass().getSimpleName() + "); invoices wait in ponte.out." + context.instance()
                    + " and are issued once it answers; " + expiry.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("health check interrupted");
        }
        return expiry.state() == A1Certificate.Expiry.State.EXPIRING
                ? Health.degraded(expiry.message() + "; " + remote) : Health.up(remote + "; " + expiry.message());
    }
}
