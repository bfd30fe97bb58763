package dev.ponte.spi;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed options with validators, rules across options and the connector's own checks: every problem of every
 * instance in one report, before anything starts, each naming its key, never a secret value.
 */
class TypedConfigurationTest {

    /** A sink with one option of each type, validators, rules, and its own check of the options together. */
    static class Messaging implements Connector {
        final List<String> validated = new ArrayList<>();

        @Override
        public ConnectorDescriptor descriptor() {
            return new ConnectorDescriptor("sample-messaging", "1", "test", Direction.SINK, List.of(),
                    List.of("Appointment"), List.of(
                    ConfigField.required("api-url", ConfigType.URL, "API root").validatedBy(
                            ConfigValidator.schemes("https")),
                    ConfigField.secret("token", "API token", false).validatedBy(ConfigValidator.minLength(16)),
                    ConfigField.secret("app-secret", "webhook signing secret", false),
                    ConfigField.choice("channel", "whatsapp", "channel used", "whatsapp", "sms", "email"),
                    ConfigField.optional("senders", ConfigType.LIST, null, "sender ids").validatedBy(
                            ConfigValidator.nonEmpty()),
                    ConfigField.optional("smpp-port", ConfigType.PORT, "2775", "SMSC port"),
                    ConfigField.optional("rate", ConfigType.INT, "10", "messages per second").validatedBy(
                            ConfigValidator.between(1, 80)),
                    ConfigField.optional("timeout", ConfigType.DURATION, "10s", "request timeout").validatedBy(
                            ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(2))),
                    ConfigField.optional("quiet-start", ConfigType.DURATION, null, "quiet hours start"),
                    ConfigField.optional("quiet-end", ConfigType.DURATION, null, "quiet hours end")),
                    List.of(ConfigRule.requiredWith("app-secret", "senders", "to verify the webhooks of senders"),
                            ConfigRule.allOrNone(List.of("quiet-start", "quiet-end"), "quiet hours need a start "
                                    + "and an end"),
                            ConfigRule.lessThan("quiet-start", "quiet-end")));
        }

        @Override
        public List<String> validate(ConnectorConfig config) {
            validated.add(config.instance());
            return config.string("channel").equals("sms") && !config.has("senders")
                    ? List.of(config.fullKey("senders") + ": an SMS channel needs a sender id") : List.of();
        }

        @Override
        public ConnectorInstance open(ConnectorContext context) {
            throw new AssertionError("not started in this test");
        }
    }

    private final Messaging messaging = new Messaging();

    private Map<String, String> props(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put("ponte.connectors." + kv[i], kv[i + 1]);
        }
        return out;
    }

    private ConnectorConfigs.Checked check(Map<String, String> p) {
        return ConnectorConfigs.check(p, Map.of("sample-messaging", messaging), Map.of());
    }

    @Test
    void typedValuesAreReadWithDefaultsAndCheckedByTheConnector() {
        ConnectorConfigs.Checked c = check(props("wa.type", "sample-messaging", "wa.api-url", "https://graph.x/v20",
                "wa.senders", " 5511999990001 , ,5511999990002", "wa.app-secret", "a-secret-of-some-length",
                "wa.quiet-start", "20h", "wa.quiet-end", "23h"));
        assertThat(c.problems()).isEmpty();
        ConnectorConfig config = c.configs().get(0);
        assertThat(config.list("senders")).containsExactly("5511999990001", "5511999990002");
        assertThat(config.string("channel")).isEqualTo("whatsapp");
        assertThat(config.integer("smpp-port")).isEqualTo(2775);
        assertThat(config.url("api-url")).isEqualTo(URI.create("https://graph.x/v20"));
        assertThat(config.list("no-such")).isEmpty();
        assertThat(messaging.validated).containsExactly("wa");
    }

    @Test
    void everyProblemOfEveryInstanceIsReportedTogetherNamingKeysNeverSecrets() {
        ConnectorConfigs.Checked c = check(props(
                // instance a: values of the right type outside their validator
                "a.type", "sample-messaging", "a.api-url", "http://graph.x", "a.token", "short",
                "a.channel", "whatsap", "a.smpp-port", "70000", "a.rate", "500", "a.timeout", "1h",
                "a.senders", " , ",
                // instance b: every option reads, but rules across them and the connector's own check fail
                "b.type", "sample-messaging", "b.api-url", "https://graph.x", "b.senders", "1",
                "b.quiet-start", "23h", "b.quiet-end", "20h",
                "c.type", "sample-messaging", "c.api-url", "https://graph.x", "c.channel", "sms",
                "c.quiet-start", "1h"));
        assertThat(c.problems()).contains(
                "ponte.connectors.a.api-url: 'http://graph.x' must be a https URL with a host",
                "ponte.connectors.a.token: the value must have at least 16 characters",
                "ponte.connectors.a.channel: 'whatsap' must be one of whatsapp, sms, email; did you mean whatsapp?",
                "ponte.connectors.a.smpp-port: '70000' must be a port number from 1 to 65535",
                "ponte.connectors.a.rate: '500' must be from 1 to 80",
                "ponte.connectors.a.timeout: '1h' must be from 100ms to 2m",
                "ponte.connectors.a.senders: ' , ' must list at least one value",
                "ponte.connectors.b.app-secret: required with senders, to verify the webhooks of senders",
                "ponte.connectors.b.quiet-start: must be less than quiet-end",
                "ponte.connectors.c.quiet-start: quiet hours need a start and an end",
                "ponte.connectors.c.senders: an SMS channel needs a sender id");
        assertThat(c.problems()).noneMatch(p -> p.contains("short"));
        // rules and the connector's check read typed values: they run only on instances whose options all read
        assertThat(messaging.validated).containsExactly("b", "c");
        assertThatThrownBy(() -> ConnectorConfigs.validate(props("a.type", "sample-messaging", "a.rate", "0"),
                Map.of("sample-messaging", messaging), Map.of())).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "ponte.connectors.a.api-url: required: API root",
                        "ponte.connectors.a.rate: '0' must be from 1 to 80"));
    }

    @Test
    void aBrokenConnectorCheckIsReportedNotThrown() {
        Connector broken = new Messaging() {
            @Override
            public List<String> validate(ConnectorConfig config) {
                throw new NullPointerException("bug");
            }
        };
        ConnectorConfigs.Checked c = ConnectorConfigs.check(props("x.type", "sample-messaging", "x.api-url",
                "https://h"), Map.of("sample-messaging", broken), Map.of());
        assertThat(c.problems()).containsExactly("ponte.connectors.x.*: the sample-messaging connector's checks "
                + "failed (NullPointerException); report it to the connector's authors");
    }

    @Test
    void anEnumNeedsItsChoicesAndTypesReadTheirText() {
        assertThatThrownBy(() -> new ConfigField("mode", ConfigType.ENUM, null, "mode", true, false))
                .hasMessageContaining("mode: an ENUM option needs its choices");
        assertThat(ConfigType.LIST.parse("a, b,,c ")).isEqualTo(List.of("a", "b", "c"));
        assertThat(ConfigType.DURATION.parse("2m")).isEqualTo(120_000L);
        assertThatThrownBy(() -> ConfigType.DURATION.parse("99999999999999999h"))
                .hasMessage("must be a duration such as 500ms, 2s, 5m or 1h");
        assertThatThrownBy(() -> ConfigType.PORT.parse("0")).hasMessage("must be a port number from 1 to 65535");
        assertThatThrownBy(() -> ConfigValidator.regex().check("(unclosed")).hasMessageStartingWith(
                "must be a regular expression");
        assertThatThrownBy(() -> ConfigValidator.zoneId().check("America/Sao Paulo")).hasMessageContaining(
                "America/Sao_Paulo");
    }
}
