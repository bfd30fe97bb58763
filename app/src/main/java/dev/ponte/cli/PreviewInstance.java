package dev.ponte.cli;

import dev.ponte.connectors.fiscal.NfseConnector;
import dev.ponte.hub.HubSettings;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fiscal connector instances {@code ponte invoice preview} previews with: the one {@code nfse-nacional} instance
 * of the settings (and the {@code nfe-sefaz} one for products, when configured), checked on its own (another instance's problem does not stop a preview) and as in sandbox mode
 * (a preview sends nothing, so the Ponte sandbox certificate stands in for a missing A1).
 */
final class PreviewInstance {

    private PreviewInstance() {
    }

    /** The instance's validated configuration, or null with the problems (naming the keys) in {@code problems}. */
    static ConnectorConfig find(HubSettings settings, List<String> problems) {
        return find(settings, new NfseConnector(), true, problems);
    }

    /** The {@code nfe-sefaz} instance (products), or null when none is configured or it has problems. */
    static ConnectorConfig findNfe(HubSettings settings, List<String> problems) {
        return find(settings, new dev.ponte.connectors.fiscal.NfeConnector(), false, problems);
    }

    private static ConnectorConfig find(HubSettings settings, dev.ponte.spi.Connector connector, boolean required,
                                        List<String> problems) {
        String type = connector.descriptor().type();
        List<String> names = new ArrayList<>();
        settings.all().forEach((k, v) -> {
            if (k.startsWith(ConnectorConfigs.PREFIX) && k.endsWith(".type") && type.equals(v.strip())) {
                names.add(k.substring(ConnectorConfigs.PREFIX.length(), k.length() - ".type".length()));
            }
        });
        if (names.isEmpty() && !required) {
            return null;
        }
        if (names.isEmpty()) {
            problems.add(ConnectorConfigs.PREFIX + "<name>.type: no fiscal connector is configured; add an instance "
                    + "with type=" + NfseConnector.TYPE + " and the clinic's issuer-cnpj, issuer-municipality-code, "
                    + "issuer-simples-nacional and schemas (README \"Invoices (NFS-e / NF-e)\")");
            return null;
        }
        if (names.size() > 1) {
            problems.add(ConnectorConfigs.PREFIX + names.get(1) + ".type: a second fiscal connector (" + names.get(0)
                    + " is one); keep one");
            return null;
        }
        String prefix = ConnectorConfigs.PREFIX + names.get(0) + ".";
        Map<String, String> only = new LinkedHashMap<>();
        settings.all().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                only.put(k, v);
            }
        });
        only.put(prefix + "sandbox", "true");
        ConnectorConfigs.Checked checked = ConnectorConfigs.check(only, Map.of(type, connector),
                Map.of("data-dir", settings.dataDir().toString()));
        if (!checked.problems().isEmpty()) {
            problems.addAll(checked.problems());
            return null;
        }
        return checked.configs().get(0);
    }
}
