package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.SandboxRecorder;
import dev.ponte.spi.Webhooks;
import dev.ponte.testkit.KitHub;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance opened on a hand-built {@link ConnectorContext}, for tests that call its sink and health directly
 * (no broker, no store): only the configuration, clock, sandbox recorder, webhooks and message events are given.
 */
final class Instances {

    private Instances() {
    }

    static ConnectorConfig config(Map<String, String> options, boolean sandbox, Path dir) {
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".";
        properties.put(prefix + "type", WhatsAppConnector.TYPE);
        properties.put(prefix + "sandbox", String.valueOf(sandbox));
        options.forEach((k, v) -> properties.put(prefix + k, v));
        return ConnectorConfigs.validate(properties, Map.of(WhatsAppConnector.TYPE, new WhatsAppConnector()),
                Map.of("data-dir", dir.toString())).get(0);
    }

    static ConnectorInstance open(Map<String, String> options, boolean sandbox, Path dir, SandboxRecorder recorder,
                                  Webhooks webhooks, MessageEvents events) {
        ConnectorContext ctx = new ConnectorContext(config(options, sandbox, dir), dir, null, null, null, null, null,
                recorder, Clock.systemUTC(), webhooks, events);
        return new WhatsAppConnector().open(ctx);
    }

    /** Opened with no webhook server and no message events. */
    static ConnectorInstance open(Map<String, String> options, Path dir) {
        return open(options, false, dir, (i, k, m, t, h, b) -> {
            throw new AssertionError("not in sandbox mode");
        }, (path, methods, handler) -> { }, null);
    }
}
