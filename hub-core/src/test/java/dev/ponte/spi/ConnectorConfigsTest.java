package dev.ponte.spi;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorConfigsTest {

    /** A connector type of this test, with one option of each kind. */
    static final class Sample implements Connector {
        @Override
        public ConnectorDescriptor descriptor() {
            return new ConnectorDescriptor("sample-db", "1", "test", Direction.SOURCE, List.of("Patient"), List.of(),
                    List.of(ConfigField.required("url", ConfigType.STRING, "JDBC URL"),
                            ConfigField.secret("password", "database password", true),
                            ConfigField.optional("inbox", ConfigType.PATH, "${data-dir}/inbox/${instance}", "inbox"),
                            ConfigField.optional("poll-delay", ConfigType.DURATION, "2s", "poll"),
                            ConfigField.optional("batch-size", ConfigType.INT, "500", "batch")));
        }

        @Override
        public ConnectorInstance open(ConnectorContext context) {
            throw new AssertionError("not started in this test");
        }
    }

    private static final Map<String, Connector> TYPES = Map.of("sample-db", new Sample());

    @Test
    void goodConfigurationsAreTypedWithDefaultsAndSeveralInstancesOfOneType() {
        List<ConnectorConfig> configs = ConnectorConfigs.validate(Map.of(
                "ponte.connectors.unit-a.type", "sample-db", "ponte.connectors.unit-a.url", "jdbc:x:a",
                "ponte.connectors.unit-a.password", "s3cr3t-value",
                "ponte.connectors.unit-b.type", "sample-db", "ponte.connectors.unit-b.url", "jdbc:x:b",
                "ponte.connectors.unit-b.password", "other", "ponte.connectors.unit-b.poll-delay", "5m",
                "ponte.connectors.unit-b.sandbox", "true", "ponte.other", "ignored"), TYPES, Map.of("data-dir", "/d"));
        assertThat(configs).extracting(ConnectorConfig::instance).containsExactly("unit-a", "unit-b");
        assertThat(configs.get(0).path("inbox")).isEqualTo(Path.of("/d/inbox/unit-a"));
        assertThat(configs.get(0).millis("poll-delay")).isEqualTo(2000L);
        assertThat(configs.get(1).millis("poll-delay")).isEqualTo(300_000L);
        assertThat(configs.get(1).sandbox()).isTrue();
        assertThat(configs.get(0).integer("batch-size")).isEqualTo(500);
        assertThat(configs.get(0).toString()).contains("password=****").doesNotContain("s3cr3t-value");
    }

    @Test
    void everyProblemIsReportedTogetherNamingTheKeyAndNeverTheSecret() {
        assertThatThrownBy(() -> ConnectorConfigs.validate(Map.of(
                "ponte.connectors.unit-a.type", "sample-db", "ponte.connectors.unit-a.batch-size", "many",
                "ponte.connectors.unit-a.pool-delay", "1s", "ponte.connectors.unit-a.password", "",
                "ponte.connectors.unit-b.type", "sample-bd", "ponte.connectors.Bad_Name.type", "sample-db",
                "ponte.connectors.Bad_Name.url", "u", "ponte.connectors.Bad_Name.password", "top-secret"), TYPES,
                Map.of("data-dir", "/d")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).contains(
                            "ponte.connectors.unit-a.url: required: JDBC URL",
                            "ponte.connectors.unit-a.password: required: database password",
                            "ponte.connectors.unit-a.batch-size: 'many' must be a whole number");
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(
                            "ponte.connectors.unit-a.pool-delay: unknown option for sample-db; did you mean "
                                    + "ponte.connectors.unit-a.poll-delay?"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(
                            "ponte.connectors.unit-b.type: unknown connector type 'sample-bd'; did you mean sample-db?"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.connectors.Bad_Name.*"));
                    assertThat(e.getMessage()).doesNotContain("top-secret");
                });
    }
}
