package dev.ponte.connectors.email;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.SandboxRecorder;
import dev.ponte.testkit.KitHub;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An instance opened on a hand-built {@link ConnectorContext}, for tests that call its sink, health and routes
 * directly (no broker, no store): only the configuration, clock, sandbox recorder and message events are given; the
 * extra session properties let a test trust GreenMail's self-signed certificate (never an option).
 */
final class Instances {

    private Instances() {
    }

    static ConnectorConfig config(Map<String, String> options, boolean sandbox, Path dir) {
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".";
        properties.put(prefix + "type", EmailConnector.TYPE);
        properties.put(prefix + "sandbox", String.valueOf(sandbox));
        options.forEach((k, v) -> properties.put(prefix + k, v));
        return ConnectorConfigs.validate(properties, Map.of(EmailConnector.TYPE, new EmailConnector()),
                Map.of("data-dir", dir.toString())).get(0);
    }

    static ConnectorInstance open(Map<String, String> options, boolean sandbox, Path dir, SandboxRecorder recorder,
                                  MessageEvents events, Clock clock, Properties extra) {
        ConnectorContext ctx = new ConnectorContext(config(options, sandbox, dir), dir, null, null, null, null, null,
                recorder, clock, (path, methods, handler) -> { }, events);
        return new EmailInstance(ctx, extra);
    }

    /** Opened for production (not sandbox), without message events. */
    static ConnectorInstance open(Map<String, String> options, Path dir) {
        return open(options, false, dir, (i, k, m, t, h, b) -> {
            throw new AssertionError("not in sandbox mode");
        }, null, Clock.systemUTC(), new Properties());
    }
}
