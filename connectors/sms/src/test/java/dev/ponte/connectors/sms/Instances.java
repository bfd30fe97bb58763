package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.ConnectorStateStore;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.SandboxRecorder;
import dev.ponte.testkit.KitHub;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance opened on a hand-built {@link ConnectorContext}, for tests that call its sink and health directly
 * (no broker, no store): the configuration, clock, state, sandbox recorder and message events are given.
 */
final class Instances {

    private Instances() {
    }

    static ConnectorConfig config(Map<String, String> options, boolean sandbox, Path dir) {
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".";
        properties.put(prefix + "type", SmsConnector.TYPE);
        properties.put(prefix + "sandbox", String.valueOf(sandbox));
        options.forEach((k, v) -> properties.put(prefix + k, v));
        return ConnectorConfigs.validate(properties, Map.of(SmsConnector.TYPE, new SmsConnector()),
                Map.of("data-dir", dir.toString())).get(0);
    }

    static ConnectorInstance open(Map<String, String> options, boolean sandbox, Path dir, ConnectorStateStore state,
                                  SandboxRecorder recorder, MessageEvents events, Clock clock) {
        ConnectorContext ctx = new ConnectorContext(config(options, sandbox, dir), dir, null, state, null, null, null,
                recorder, clock, (path, methods, handler) -> { }, events);
        return new SmsConnector().open(ctx);
    }
}
