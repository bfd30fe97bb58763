package dev.ponte.connectors.fiscal;

import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code nfse-nacional} connector: issues the NFS-e of the hub's PENDING invoices through the national API
 * (Sefin Nacional), signed with the clinic's A1 certificate and checked against the official schemas before they
 * leave. The schemas folder and the certificate are checked at start-up: a hub without them does not start, and
 * the message says where to get them.
 */
public final class NfseConnector implements Connector {

    public static final String TYPE = "nfse-nacional";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Issues the NFS-e of the hub's invoices through the national API (padrão nacional, DPS 1.00, or 1.01 "
                    + "with IBS/CBS), signed with the clinic's A1 certificate", Direction.SINK, List.of(),
            List.of("Invoice"), FiscalConfig.fields(), FiscalConfig.rules());

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** The settings, the schemas (they must compile) and the certificate (readable, with its key, not expired). */
    @Override
    public List<String> validate(ConnectorConfig config) {
        List<String> problems = new ArrayList<>();
        FiscalConfig fiscal = FiscalConfig.read(config, problems, false); // the hub reports the descriptor's rules
        try {
            Dps.Layout layout = FiscalConfig.layout(config);
            FiscalSchemas.nfse(config.path(FiscalConfig.SCHEMAS), config.fullKey(FiscalConfig.SCHEMAS), layout);
            FiscalSchemas.nfseEvents(config.path(FiscalConfig.SCHEMAS), config.fullKey(FiscalConfig.SCHEMAS),
                    layout);
        } catch (MissingSchemaException e) {
            problems.add(config.fullKey(FiscalConfig.SCHEMAS) + ": " + e.getMessage());
        }
        FiscalInstances.checkCertificate(config, fiscal == null ? null : fiscal.clinic().cnpj(), problems);
        return problems;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new NfseInstance(context);
    }
}
