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
 *
 * @since 0.1
 */
public record ConnectorDescriptor(String type, String version, String description, Direction direction,
                                  List<String> reads, List<String> writes, List<ConfigField> config) {
    public ConnectorDescriptor {
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        config = List.copyOf(config);
    }
}
