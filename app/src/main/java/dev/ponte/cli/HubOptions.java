package dev.ponte.cli;

import dev.ponte.hub.HubSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** Options of the commands that work on a hub's data directory. */
final class HubOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", scope = CommandLine.ScopeType.INHERIT,
            description = "Where the hub keeps its database, broker journal, inbox and reports (default: ./data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Extra properties file (see app/src/main/resources/ponte-defaults.properties).")
    Path config;

    HubSettings settings(Map<String, String> overrides) {
        return HubSettings.load(dataDir, config, overrides);
    }

    HubSettings settings() {
        return settings(Map.of());
    }

    static String actor() {
        return System.getProperty("user.name", "admin");
    }
}
