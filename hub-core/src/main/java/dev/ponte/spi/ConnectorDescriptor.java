package dev.ponte.spi;

import java.util.List;

/**
 * What a connector is and how it is configured.
 *
 * @param type        the value of {@code ponte.connectors.<instance>.type}, e.g. {@code legacy-csv}
 * @param version     the connector's version
 * @param description one sentence for the admin
 * @param direction   source, sink or both
 * @param reads       canonical entities it brings in (sources)
 * @param writes      canonical entities it sends out (sinks)
 * @param config      its options; {@code type} and {@code sandbox} are common to all and need not be declared
 * @param rules       rules across its options, checked after each option on its own (since 0.2); each names only
 *                    declared options (the connector kit checks it)
 *
 * @since 0.1
 */
public record ConnectorDescriptor(String type, String version, String description, Direction direction,
                                  List<String> reads, List<String> writes, List<ConfigField> config,
                                  List<ConfigRule> rules) {
    public ConnectorDescriptor {
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        config = List.copyOf(config);
        rules = List.copyOf(rules);
    }

    /** Without rules across options. */
    public ConnectorDescriptor(String type, String version, String description, Direction direction,
                               List<String> reads, List<String> writes, List<ConfigField> config) {
        this(type, version, description, direction, reads, writes, config, List.of());
    }
}
