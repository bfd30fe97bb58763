package dev.ponte.inbound;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.SandboxRecorder;
import dev.ponte.store.Database;
import dev.ponte.store.StoreAuditTrail;
import dev.ponte.store.StoreConnectorState;
import dev.ponte.store.StoreImportTracker;
import dev.ponte.webhook.HubWebhooks;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/** Builds the {@link ConnectorContext} of an instance from the hub's services. */
public final class HubConnectorContexts {

    private HubConnectorContexts() {
    }

    /**
     * @param inboundUri the Camel endpoint of the instance's inbound queue
     * @param camel      the Camel context, looked up at the first send
     * @param mappings   the instance's mappings, or {@code null}
     * @param webhooks   the hub's webhook endpoints, which the instance registers its own in
     * @param messages   where channel connectors report statuses and replies
     */
    public static ConnectorContext create(ConnectorConfig config, Path dataDir, Database db, String inboundUri,
                                          Supplier<CamelContext> camel, FolderMappingRegistry mappings,
                                          SandboxRecorder sandbox, Clock clock, HubWebhooks webhooks,
                                          dev.ponte.spi.MessageEvents messages) {
        String instance = config.instance();
        return new ConnectorContext(config, dataDir, new QueueInboundSender(camel, inboundUri),
                new StoreConnectorState(db, instance), new StoreImportTracker(db, instance, clock),
                new StoreAuditTrail(db, instance, clock), mappings, sandbox, clock, webhooks.forInstance(instance), messages);
    }
}
