package dev.ponte.spi;

import dev.ponte.inbound.FolderMappingRegistry;
import dev.ponte.store.Database;

import java.nio.file.Path;

/**
 * What the hub gives a connector instance when it opens it.
 *
 * @param config     the instance's validated configuration
 * @param dataDir    the hub's data directory
 * @param inboundUri the Camel endpoint that takes this instance's {@code InboundChunk}s and {@code ExternalChange}s
 *                   (JSON): the durable queue {@code ponte.in.<instance>}
 * @param database   the hub's store, for connector state (watermarks, sync tokens) and import counters
 * @param mappings   the mappings of this instance, when it declares a {@code mappings} folder; else {@code null}
 * @param sandbox    where requests go in sandbox mode ({@link ConnectorConfig#sandbox()})
 */
public record ConnectorContext(ConnectorConfig config, Path dataDir, String inboundUri, Database database,
                               FolderMappingRegistry mappings, SandboxRecorder sandbox) {

    public String instance() {
        return config.instance();
    }
}
