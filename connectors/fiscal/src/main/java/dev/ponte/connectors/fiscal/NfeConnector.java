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
 * The {@code nfe-sefaz} connector: issues the NF-e 4.00 (model 55) of the hub's product invoices through the
 * issuer's state web services (SEFAZ, SOAP 1.2, mTLS), signed with the clinic's A1 certificate and checked against
 * the NF-e schemas that ship with the NF-e library before they leave.
 */
public final class NfeConnector implements Connector {

    public static final String TYPE = "nfe-sefaz";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Issues the NF-e 4.00 of the hub's product invoices through the state's SEFAZ web services, signed with "
                    + "the clinic's A1 certificate", Direction.SINK, List.of(), List.of("Invoice"),
            NfeConfig.fields(), NfeConfig.rules());

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<String> validate(ConnectorConfig config) {
        List<String> problems = new ArrayList<>();
        NfeConfig nfe = NfeConfig.read(config, problems);
        FiscalInstances.checkCertificate(config, nfe == null ? null : nfe.issuer().cnpj(), problems);
        return problems;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new NfeInstance(context);
    }
}
