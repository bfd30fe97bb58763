package dev.ponte.hub;

import dev.ponte.connectors.fiscal.FiscalConfig;
import dev.ponte.fiscal.FiscalTriggerSettings;
import dev.ponte.spi.ConnectorConfig;

import java.util.List;

/**
 * The hub's fiscal connector: the one instance whose connector writes Invoice. Its issuer CNPJ and series are the
 * series the hub numbers documents in, so the clinic's fiscal identity is written once, in that instance.
 */
public final class FiscalInstance {

    private FiscalInstance() {
    }

    /** The validated instances that write Invoice (none, one, or a configuration problem when more). */
    public static List<ConnectorConfig> of(List<ConnectorConfig> configs) {
        return configs.stream().filter(c -> c.descriptor().writes().contains("Invoice")).toList();
    }

    /**
     * The issuer of the one fiscal instance, or null when none is configured; two or more are a problem (one
     * numbering per hub).
     */
    public static FiscalTriggerSettings.Issuer issuer(List<ConnectorConfig> configs, List<String> problems) {
        List<ConnectorConfig> fiscal = of(configs);
        if (fiscal.size() > 1) {
            problems.add(fiscal.get(1).fullKey("type") + ": a second fiscal connector (" + fiscal.get(0).instance()
                    + " is one); the hub numbers one issuer's documents: keep one instance");
            return null;
        }
        if (fiscal.isEmpty() || !fiscal.get(0).has(FiscalConfig.CNPJ)) {
            return null;
        }
        ConnectorConfig c = fiscal.get(0);
        return new FiscalTriggerSettings.Issuer(c.instance(), c.string(FiscalConfig.CNPJ), c.string(FiscalConfig.SERIES));
    }
}
