package dev.ponte.hub;

import dev.ponte.connectors.fiscal.FiscalConfig;
import dev.ponte.connectors.fiscal.NfeConfig;
import dev.ponte.connectors.fiscal.NfeConnector;
import dev.ponte.connectors.fiscal.NfseConnector;
import dev.ponte.fiscal.FiscalTriggerSettings;
import dev.ponte.spi.ConnectorConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's fiscal connectors: at most one {@code nfse-nacional} (services) and one {@code nfe-sefaz} (products).
 * Their issuer CNPJ and series are the series the hub numbers documents in, so the clinic's fiscal identity is
 * written once, in those instances.
 */
public final class FiscalInstance {

    private FiscalInstance() {
    }

    /** The kind of document (NFSE, NFE) each fiscal instance issues, by instance. */
    public static Map<String, String> kinds(List<ConnectorConfig> configs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConnectorConfig c : configs) {
            String type = c.descriptor().type();
            if (type.equals(NfseConnector.TYPE)) {
                out.put(c.instance(), "NFSE");
            } else if (type.equals(NfeConnector.TYPE)) {
                out.put(c.instance(), "NFE");
            }
        }
        return out;
    }

    /** The issuer of the one NFS-e instance, or null; two are a problem (one numbering per hub). */
    public static FiscalTriggerSettings.Issuer issuer(List<ConnectorConfig> configs, List<String> problems) {
        return one(configs, NfseConnector.TYPE, FiscalConfig.CNPJ, FiscalConfig.SERIES, problems);
    }

    /** The issuer of the one NF-e instance, or null. */
    public static FiscalTriggerSettings.Issuer products(List<ConnectorConfig> configs, List<String> problems) {
        return one(configs, NfeConnector.TYPE, NfeConfig.CNPJ, NfeConfig.SERIES, problems);
    }

    private static FiscalTriggerSettings.Issuer one(List<ConnectorConfig> configs, String type, String cnpjKey,
                                                    String seriesKey, List<String> problems) {
        List<ConnectorConfig> of = configs.stream().filter(c -> c.descriptor().type().equals(type)).toList();
        if (of.size() > 1) {
            problems.add(of.get(1).fullKey("type") + ": a second " + type + " connector (" + of.get(0).instance()
                    + " is one); the hub numbers one issuer's documents: keep one instance");
            return null;
        }
        if (of.isEmpty() || !of.get(0).has(cnpjKey)) {
            return null;
        }
        ConnectorConfig c = of.get(0);
        return new FiscalTriggerSettings.Issuer(c.instance(), c.string(cnpjKey), c.string(seriesKey));
    }
}
