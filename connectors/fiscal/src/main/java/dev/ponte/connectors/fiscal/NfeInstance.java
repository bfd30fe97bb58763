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
        this.certificate = FiscalInstances.certificate(context, nfe.issuer().cnpj());
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
        return FiscalInstances.health(context, certificate, "SEFAZ at " + api.host(), "NF-e", api::probe);
    }
}
