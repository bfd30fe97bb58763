package dev.ponte.spi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the hub gives a connector instance when it opens it: its configuration and the hub services it may use, all
 * of them SPI types. A connector needs nothing else of the hub.
 *
 * @param config   the instance's validated configuration
 * @param dataDir  the hub's data directory
 * @param inbound  where a source sends its {@link InboundChunk}s and {@link ExternalChange}s (queue
 *                 {@code ponte.in.<instance>})
 * @param state    the instance's durable key/value state (watermarks, sync tokens, ETags)
 * @param imports  the import counters of the instance's runs
 * @param audit    the audit log, attributed to the instance
 * @param mappings the mappings of this instance, when it declares a {@code mappings} folder; else {@code null}
 * @param sandbox  where requests go in sandbox mode ({@link ConnectorConfig#sandbox()})
 * @param clock    the hub's clock; use it instead of {@code Instant.now()} so tests can fix time
 * @param webhooks the hub's HTTP server, for the instance's webhook endpoints
 * @param messages where a patient-facing channel reports delivery statuses and patients' replies (since 0.3)
 * @since 0.1 (members other than config, dataDir, mappings and sandbox since 0.2)
 */
public record ConnectorContext(ConnectorConfig config, Path dataDir, InboundSender inbound, ConnectorStateStore state,
                               ImportTracker imports, AuditTrail audit, Mappings mappings, SandboxRecorder sandbox,
                               Clock clock, Webhooks webhooks, MessageEvents messages) {

    /** The instance name, {@code ponte.connectors.<instance>}. */
    public String instance() {
        return config.instance();
    }
}
