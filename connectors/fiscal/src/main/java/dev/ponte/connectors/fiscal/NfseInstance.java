package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.Sink;

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
            Dps.Layout layout = fiscal.clinic().layout();
            schemas = FiscalSchemas.nfse(fiscal.schemas(), config.fullKey(FiscalConfig.SCHEMAS), layout);
            events = FiscalSchemas.nfseEvents(fiscal.schemas(), config.fullKey(FiscalConfig.SCHEMAS), layout);
        } catch (MissingSchemaException e) {
            throw new ConfigurationException(List.of(config.fullKey(FiscalConfig.SCHEMAS) + ": " + e.getMessage()));
        }
        this.certificate = FiscalInstances.certificate(context, fiscal.clinic().cnpj());
        this.api = new NfseApi(certificate, fiscal.baseUrl(), fiscal.timeout());
        this.sink = new NfseSink(context, fiscal, new DpsPreview(fiscal.clinic(), schemas, certificate), certificate,
                new Issuance(api), events, new Cancellations(api));
    }

    @Override
    public Sink sink() {
        return sink;
    }

    @Override
    public Health health() {
        return FiscalInstances.health(context, certificate, "the national NFS-e API at " + api.host(), "invoices",
                () -> api.dps(PROBE_ID).status());
    }
}
