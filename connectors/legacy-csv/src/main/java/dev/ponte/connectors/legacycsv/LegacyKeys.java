package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.OutboundCommand;

import java.util.Set;

/**
 * Where the write-back learns an appointment's id in the legacy system (the source key its row came from).
 *
 * <p>The hub keeps it (its {@code xref} table: system, source id → canonical id) and an {@link OutboundCommand}
 * carries it since SPI 0.6 ({@link OutboundCommand#sourceIds()}); {@link #FROM_COMMAND} is the production lookup.
 * Tests may give their own.
 */
@FunctionalInterface
interface LegacyKeys {

    /** The record's id in the first of the systems the command names (SPI 0.6 {@code sourceIds}). */
    LegacyKeys FROM_COMMAND = (command, systems) -> systems.stream().sorted().map(command::sourceId)
            .filter(java.util.Objects::nonNull).findFirst().orElse(null);

    /**
     * @param systems the source systems of this instance's mappings ({@code source.system}), e.g. legacy-clinic
     * @return the record's id in one of those systems, or {@code null} when it did not come from them
     */
    String keyOf(OutboundCommand command, Set<String> systems);
}
