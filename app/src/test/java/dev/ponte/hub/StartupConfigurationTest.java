package dev.ponte.hub;

import dev.ponte.spi.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One start reports every configuration problem together — the hub's settings, every instance's options, rules and
 * the connector's own checks, mapping folders — before anything starts: no database, no broker, no route.
 */
class StartupConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void everyProblemOfEveryInstanceTogetherBeforeAnythingStarts() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.json"), "{\"type\": \"authorized_user\"}");
        Path data = dir.resolve("data");
        Map<String, String> o = Map.ofEntries(
                Map.entry("ponte.health.timeout", "soon"),
                Map.entry("ponte.connectors.legacy.chunk-size", "0"),
                Map.entry("ponte.connectors.legacy.file-pattern", "*.csv"),
                Map.entry("ponte.connectors.calendar.type", "google-calendar"),
                Map.entry("ponte.connectors.calendar.service-account-key", notAKey.toString()),
                Map.entry("ponte.connectors.calendar.push-address", "https://clinica.example/webhooks/cal"),
                Map.entry("ponte.connectors.calendar.time-zone", "Brasilia"),
                Map.entry("ponte.connectors.erp.type", "http-webhook"),
                Map.entry("ponte.connectors.erp.url", "ftp://erp.example/ponte"),
                Map.entry("ponte.connectors.erp.signing-secret", "tiny"),
                Map.entry("ponte.connectors.clinic-db.type", "legacy-jdbc"),
                Map.entry("ponte.connectors.clinic-db.url", "jdbc:h2:mem:x"),
                Map.entry("ponte.connectors.clinic-db.mappings", dir.resolve("no-such-folder").toString()));
        assertThatThrownBy(() -> PonteHub.prepare(HubTestSupport.settings(data, o)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("ponte.health.timeout: 'soon'"));
                    assertThat(e.problems()).contains(
                            "ponte.connectors.legacy.chunk-size: '0' must be from 1 to 10000",
                            "ponte.connectors.calendar.time-zone: 'Brasilia' must be a time-zone id such as "
                                    + "America/Sao_Paulo",
                            "ponte.connectors.erp.url: 'ftp://erp.example/ponte' must be a https or http URL with"
                                    + " a host",
                            "ponte.connectors.erp.signing-secret: the value must have at least 16 characters");
                    assertThat(e.problems()).anyMatch(p -> p.startsWith(
                            "ponte.connectors.legacy.file-pattern: '*.csv' must be a regular expression"));
                    assertThat(e.problems()).anyMatch(p -> p.startsWith(
                            "ponte.connectors.clinic-db.mappings: no such folder"));
                    assertThat(e.getMessage()).doesNotContain("tiny");
                });
        assertThat(data.resolve("db")).as("no database was created: nothing started").doesNotExist();

        // once each option reads, the rules across options and the connector's own checks speak, still together
        Map<String, String> typed = Map.of(
                "ponte.connectors.calendar.type", "google-calendar",
                "ponte.connectors.calendar.service-account-key", notAKey.toString(),
                "ponte.connectors.calendar.client-id", "id.apps.googleusercontent.com",
                "ponte.connectors.calendar.push-address", "https://clinica.example/webhooks/cal",
                "ponte.connectors.erp.type", "http-webhook",
                "ponte.connectors.erp.url", "https://erp.example/ponte");
        assertThatThrownBy(() -> PonteHub.prepare(HubTestSupport.settings(data, typed)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "ponte.connectors.calendar.service-account-key: give either a service account key"
                                        + " or client-id/client-secret/refresh-token, not both",
                                "ponte.connectors.calendar.client-id: an OAuth refresh token needs all three of "
                                        + "client-id, client-secret and refresh-token",
                                "ponte.connectors.calendar.channel-token: required with push-address, so that "
                                        + "forged notifications can be refused",
                                "ponte.connectors.calendar.service-account-key: " + notAKey.toAbsolutePath()
                                        + " is not a service account key (a JSON file with type service_account, "
                                        + "client_email and private_key, downloaded from the Google Cloud console)",
                                "ponte.connectors.erp.signing-secret: required: Key of the HMAC-SHA256 signature "
                                        + "in webhook-signature (Standard Webhooks): whsec_ followed by the base64 "
                                        + "key, or plain text"));
        assertThat(data.resolve("db")).doesNotExist();
    }

    @Test
    void aBrokenTemplateOrAWrongMessagingKeyStopsTheStartWithFileLineAndKey() throws Exception {
        Path data = dir.resolve("data-messaging");
        Path templates = java.nio.file.Files.createDirectories(dir.resolve("templates"));
        java.nio.file.Files.writeString(templates.resolve("reminder.pt-BR.yaml"),
                "purpose: reminder\ntext: \"Olá {{Patient.nmae}}, {{Appointment.start|hora}}\"\n");
        Map<String, String> o = Map.of(
                "ponte.connectors.wa.type", "whatsapp",
                "ponte.connectors.wa.phone-number-id", "104857600123",
                "ponte.connectors.wa.access-token", "it-access-token-0123456789",
                "ponte.connectors.wa.app-secret", "it-app-secret-0123456789",
                "ponte.connectors.wa.verify-token", "it-verify-token-0123456789",
                "ponte.messaging.templates", templates.toString(),
                "ponte.messaging.quiet-hours", "22h to 7h",
                "ponte.messaging.connector.sms", "no-such-instance");
        assertThatThrownBy(() -> PonteHub.prepare(HubTestSupport.settings(data, o)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("ponte.messaging.templates: ")
                            && p.contains("reminder.pt-BR.yaml:2: text: {{Patient.nmae}} is not a glossary field; "
                            + "did you mean Patient.name?"));
                    assertThat(e.problems()).anyMatch(p -> p.contains("reminder.pt-BR.yaml:2")
                            && p.contains("no filter 'hora'"));
                    assertThat(e.problems()).anyMatch(p -> p.contains("has no reply-confirmed.pt-BR.yaml"));
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("ponte.messaging.quiet-hours: '22h to 7h'"));
                    assertThat(e.problems()).contains("ponte.messaging.connector.sms: no connector instance "
                            + "'no-such-instance' is configured");
                    assertThat(e.getMessage()).doesNotContain("it-access-token");
                });
        assertThat(data.resolve("db")).doesNotExist();
    }
}
