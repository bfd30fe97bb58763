package dev.ponte.hub;

import dev.ponte.spi.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code PONTE_*} environment variables and {@code _FILE} secrets: the name rule and the precedence of sources. */
class EnvironmentOverridesTest {

    @TempDir
    Path dir;

    private HubSettings load(Path config, Map<String, String> overrides, Map<String, String> env) {
        return HubSettings.load(dir.resolve("data"), config, overrides, env);
    }

    @Test
    void aKnownKeyWithDashesIsMatchedByItsVariable() {
        HubSettings s = load(null, Map.of(), Map.of("PONTE_DB_COMPACT_ON_STOP", "false",
                "PONTE_EVENTS_RETENTION_DAYS", "7", "PONTE_HTTP_PORT", "9000"));

        assertThat(s.get("ponte.db.compact-on-stop")).isEqualTo("false");
        assertThat(s.get("ponte.events.retention-days")).isEqualTo("7");
        assertThat(s.get("ponte.http.port")).isEqualTo("9000");
        assertThat(s.all()).doesNotContainKeys("ponte.db.compact.on.stop", "ponte.events.retention.days");
    }

    @Test
    void aKeyNoSourceNamesIsReadLiterally() {
        HubSettings s = load(null, Map.of(), Map.of("PONTE_FLOWS_BILLING_FROM", "2026-01-01",
                "PONTE_SOME__NEW_KEY", "x"));

        assertThat(s.get("ponte.flows.billing.from")).isEqualTo("2026-01-01");
        assertThat(s.get("ponte.some-new.key")).isEqualTo("x");
    }

    @Test
    void connectorOptionsOfAnInstanceDeclaredInAFileFollowItsTypesDescriptor() throws Exception {
        Path config = Files.writeString(dir.resolve("hub.properties"), """
                ponte.connectors.clinic-db.type=legacy-jdbc
                ponte.connectors.clinic-db.url=jdbc:h2:mem:x
                ponte.connectors.clinic-db.mappings=/srv/mappings
                """);

        HubSettings s = load(config, Map.of(), Map.of("PONTE_CONNECTORS_CLINIC_DB_POLL_DELAY", "5s",
                "PONTE_CONNECTORS_CLINIC_DB_USER", "ponte"));

        assertThat(s.get("ponte.connectors.clinic-db.poll-delay")).isEqualTo("5s");
        assertThat(s.get("ponte.connectors.clinic-db.user")).isEqualTo("ponte");
    }

    @Test
    void anInstanceCanBeDeclaredByTheEnvironmentAlone() {
        HubSettings s = load(null, Map.of(), Map.of(
                "PONTE_CONNECTORS_CALENDAR_TYPE", "google-calendar",
                "PONTE_CONNECTORS_CALENDAR_CLIENT_SECRET", "s3cr3t",
                "PONTE_CONNECTORS_CLINIC_DB_TYPE", "legacy-jdbc",
                "PONTE_CONNECTORS_CLINIC_DB_BATCH_SIZE", "100"));

        assertThat(s.get("ponte.connectors.calendar.type")).isEqualTo("google-calendar");
        assertThat(s.get("ponte.connectors.calendar.client-secret")).isEqualTo("s3cr3t");
        assertThat(s.get("ponte.connectors.clinic-db.type")).isEqualTo("legacy-jdbc");
        assertThat(s.get("ponte.connectors.clinic-db.batch-size")).isEqualTo("100");
    }

    @Test
    void anOptionEndingInTypeIsTheOptionOfItsInstanceNotASecondInstance() {
        HubSettings s = load(null, Map.of(), Map.of("PONTE_CONNECTORS_SMS_TYPE", "sms",
                "PONTE_CONNECTORS_SMS_SYSTEM_TYPE", "cp"));

        assertThat(s.get("ponte.connectors.sms.type")).isEqualTo("sms");
        assertThat(s.get("ponte.connectors.sms.system-type")).isEqualTo("cp");
        assertThat(s.all()).doesNotContainKey("ponte.connectors.sms-system.type");
    }

    @Test
    void aConnectorVariableOfNoInstanceIsRefusedByName() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("PONTE_CONNECTORS_CALENDR_CLIENT_SECRET", "s3cr3t")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PONTE_CONNECTORS_CALENDR_CLIENT_SECRET: names no connector instance")
                .hasMessageContaining("[legacy]")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aSecretIsReadFromTheFileItsFileVariableNames() throws Exception {
        Path secret = Files.writeString(dir.resolve("db-password"), "correct horse\n");

        HubSettings s = load(null, Map.of(), Map.of("PONTE_DB_PASSWORD_FILE", secret.toString()));

        assertThat(s.get("ponte.db.password")).isEqualTo("correct horse");
        assertThat(s.all()).doesNotContainKey("ponte.db.password-file");
    }

    @Test
    void anUnreadableSecretFileIsNamedAndBothFormsAtOnceAreRefused() throws Exception {
        Path missing = dir.resolve("no-such-secret");
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("PONTE_DB_PASSWORD_FILE", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PONTE_DB_PASSWORD_FILE: cannot read the file " + missing);

        Path secret = Files.writeString(dir.resolve("pw"), "from-file");
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("PONTE_DB_PASSWORD_FILE", secret.toString(),
                "PONTE_DB_PASSWORD", "plain")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PONTE_DB_PASSWORD_FILE and PONTE_DB_PASSWORD both set ponte.db.password")
                .hasMessageNotContaining("from-file").hasMessageNotContaining("plain");
    }

    @Test
    void precedenceDefaultsThenDataDirFileThenConfigFileThenEnvironmentThenSystemPropertyThenOption() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/ponte.properties"), """
                ponte.clinic=from-data-dir
                ponte.http.port=1001
                ponte.health.timeout=1001
                ponte.disk.min-free=1001
                ponte.events.retention-days=1001
                """);
        Path config = Files.writeString(dir.resolve("extra.properties"), """
                ponte.http.port=1002
                ponte.health.timeout=1002
                ponte.disk.min-free=1002
                ponte.events.retention-days=1002
                """);
        Map<String, String> env = Map.of("PONTE_HEALTH_TIMEOUT", "1003", "PONTE_DISK_MIN_FREE", "1003",
                "PONTE_EVENTS_RETENTION_DAYS", "1003");
        System.setProperty("ponte.disk.min-free", "1004");
        System.setProperty("ponte.events.retention-days", "1004");
        try {
            HubSettings s = load(config, Map.of("ponte.events.retention-days", "1005"), env);

            assertThat(s.get("ponte.broker.max-delivery-attempts")).isEqualTo("5"); // the shipped default
            assertThat(s.get("ponte.clinic")).isEqualTo("from-data-dir");
            assertThat(s.get("ponte.http.port")).isEqualTo("1002");
            assertThat(s.get("ponte.health.timeout")).isEqualTo("1003");
            assertThat(s.get("ponte.disk.min-free")).isEqualTo("1004");
            assertThat(s.get("ponte.events.retention-days")).isEqualTo("1005");
        } finally {
            System.clearProperty("ponte.disk.min-free");
            System.clearProperty("ponte.events.retention-days");
        }
    }

    @Test
    void theInstallationsConfFileComesAfterTheDefaultsAndBeforeTheDataDirectorysFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("install/conf")).getParent();
        Files.writeString(home.resolve("conf/ponte.properties"), "ponte.clinic=from-conf\nponte.http.port=2001\n");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/ponte.properties"), "ponte.http.port=2002\n");
        String before = System.getProperty("ponte.home");
        System.setProperty("ponte.home", home.toString());
        try {
            HubSettings s = load(null, Map.of(), Map.of());

            assertThat(s.get("ponte.clinic")).isEqualTo("from-conf");
            assertThat(s.get("ponte.http.port")).isEqualTo("2002");
            assertThat(s.get("ponte.connectors.legacy.mappings")).isEqualTo(home + "/mappings/legacy-clinic");
        } finally {
            if (before == null) {
                System.clearProperty("ponte.home");
            } else {
                System.setProperty("ponte.home", before);
            }
        }
    }

    @Test
    void theLaunchersOwnVariablesAreNoSettings() {
        HubSettings s = load(null, Map.of(), Map.of("PONTE_JAVA_OPTS", "-Xmx1g", "PONTE_LANG", "en",
                "PONTE_CDS", "off", "PONTE_HOME", "/opt/ponte"));

        assertThat(s.all().keySet()).noneMatch(k -> k.startsWith("ponte.java") || k.startsWith("ponte.lang")
                || k.startsWith("ponte.cds") || k.equals("ponte.home"));
    }
}
