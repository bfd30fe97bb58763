package dev.ponte.connectors.googlecalendar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code google-calendar}: keeps each professional's Google Calendar and the hub's appointments in step.
 * <ul>
 *   <li>hub → Google: an appointment created, rescheduled or cancelled becomes an event insert, patch or delete in
 *       the professional's calendar ({@code Professional.calendarId}, else {@code default-calendar}); the event id is
 *       derived from the appointment's canonical id and our ids travel in {@code extendedProperties.private};
 *       writes carry {@code If-Match} with the last etag seen;</li>
 *   <li>Google → hub: the {@code calendars} listed are synced incrementally with {@code syncToken} (410 → full
 *       resync), every {@code sync-interval} and on each push notification; an event of ours moved or deleted in
 *       Google becomes an appointment change in the hub. Events Ponte did not create are left alone.</li>
 * </ul>
 * Conflicts: the hub wins (see {@link CalendarSink} and {@code InboundProcessor.applyChange}).
 */
public final class GoogleCalendarConnector implements Connector {

    public static final String TYPE = "google-calendar";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Two-way sync of appointments with each professional's Google Calendar", Direction.BOTH,
            List.of("Appointment"), List.of("Appointment"),
            List.of(
                    ConfigField.optional("root-url", ConfigType.URL, "https://www.googleapis.com/",
                            "Root URL of the Google APIs; change only for a stand-in in tests")
                            .validatedBy(ConfigValidator.schemes("https", "http")),
                    ConfigField.optional("token-url", ConfigType.URL, "https://oauth2.googleapis.com/token",
                            "OAuth 2.0 token endpoint; change only for a stand-in in tests")
                            .validatedBy(ConfigValidator.schemes("https", "http")),
                    ConfigField.optional("service-account-key", ConfigType.PATH, null,
                            "JSON key file of a service account with access to the calendars (keep it readable "
                                    + "only by the hub); or use client-id, client-secret and refresh-token"),
                    ConfigField.optional("client-id", ConfigType.STRING, null,
                            "OAuth client id, with client-secret and refresh-token"),
                    ConfigField.secret("client-secret", "OAuth client secret", false),
                    ConfigField.secret("refresh-token", "OAuth refresh token of the clinic's Google account, with "
                            + "scope https://www.googleapis.com/auth/calendar", false),
                    ConfigField.optional("default-calendar", ConfigType.STRING, null,
                            "Calendar for appointments whose professional has no calendarId; without it such "
                                    + "appointments become dead letters"),
                    ConfigField.optional("calendars", ConfigType.LIST, null,
                            "Comma-separated calendar ids synced back into the hub (moves and deletions made in "
                                    + "Google); empty = one-way, hub to Google only"),
                    ConfigField.optional("time-zone", ConfigType.STRING, "America/Sao_Paulo",
                            "Time zone of the events written and of the times read back")
                            .validatedBy(ConfigValidator.zoneId()),
                    ConfigField.optional("sync-interval", ConfigType.DURATION, "5m",
                            "How often the calendars are synced, besides push notifications")
                            .validatedBy(ConfigValidator.between(Duration.ofSeconds(1), Duration.ofDays(1))),
                    ConfigField.optional("push-address", ConfigType.URL, null,
                            "Public HTTPS address Google sends push notifications to (it reaches webhook-path "
                                    + "through your proxy); empty = no push, polling only")
                            .validatedBy(ConfigValidator.schemes("https")),
                    ConfigField.secret("channel-token", "Token Google echoes in X-Goog-Channel-Token on every push "
                            + "notification; notifications without it are refused", false)
                            .validatedBy(ConfigValidator.minLength(16)),
                    ConfigField.optional("webhook-path", ConfigType.STRING, "/webhooks/google-calendar/${instance}",
                            "Path of the push-notification endpoint on the hub's HTTP server")
                            .validatedBy(ConfigValidator.matching("/[A-Za-z0-9._~/-]*",
                                    "a path starting with / (letters, digits, . _ ~ - /)")),
                    ConfigField.optional("patient-in-title", ConfigType.BOOLEAN, "true",
                            "Whether event titles carry the patient's first name (else only the procedure)"),
                    ConfigField.optional("requests-per-second", ConfigType.INT, "5",
                            "Requests per second this instance sends at most, to stay within the per-user quota")
                            .validatedBy(ConfigValidator.between(1, 1000)),
                    ConfigField.optional("backoff-initial", ConfigType.DURATION, "500ms",
                            "First wait before retrying a 429, 5xx or connection error; doubles each retry")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(10), Duration.ofMinutes(1))),
                    ConfigField.optional("backoff-max-elapsed", ConfigType.DURATION, "30s",
                            "Time after which a request stops retrying and the broker's redelivery takes over")
                            .validatedBy(ConfigValidator.between(Duration.ZERO, Duration.ofMinutes(10))),
                    ConfigField.optional("timeout", ConfigType.DURATION, "20s",
                            "Connect and read timeout of each request")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(5)))),
            List.of(
                    ConfigRule.notBoth(List.of("service-account-key"), List.of("client-id", "client-secret",
                            "refresh-token"), "give either a service account key or client-id/client-secret/"
                            + "refresh-token, not both"),
                    ConfigRule.allOrNone(List.of("client-id", "client-secret", "refresh-token"), "an OAuth refresh "
                            + "token needs all three of client-id, client-secret and refresh-token"),
                    ConfigRule.of("credentials are required: a service account key file, or client-id, "
                            + "client-secret and refresh-token (not needed with sandbox=true)", c -> c.sandbox()
                            || c.has("service-account-key") || c.has("client-id") || c.has("client-secret")
                            || c.has("refresh-token"), "service-account-key", "client-id", "client-secret",
                            "refresh-token"),
                    ConfigRule.requiredWith("channel-token", "push-address", "so that forged notifications can be "
                            + "refused"),
                    ConfigRule.of("must be less than backoff-max-elapsed (or set backoff-max-elapsed=0 for no "
                            + "retries within a delivery)", c -> c.millis("backoff-max-elapsed") == 0
                            || c.millis("backoff-initial") < c.millis("backoff-max-elapsed"), "backoff-initial",
                            "backoff-max-elapsed")));

    /** The id of the Google event of an appointment (derived from its canonical id; see the README). */
    public static String eventIdOf(String appointmentCanonicalId) {
        return EventMapper.eventId(appointmentCanonicalId);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** The service account key file, when given, is readable and is a service account's JSON key. */
    @Override
    public List<String> validate(ConnectorConfig config) {
        if (!config.has("service-account-key")) {
            return List.of();
        }
        Path key = config.path("service-account-key");
        String at = config.fullKey("service-account-key") + ": ";
        if (!Files.isRegularFile(key) || !Files.isReadable(key)) {
            return List.of(at + "cannot read the file " + key.toAbsolutePath() + " (it must exist and be readable"
                    + " by the hub)");
        }
        try {
            JsonNode json = Json.MAPPER.readTree(Files.readString(key));
            if (!"service_account".equals(json.path("type").asText()) || json.path("private_key").asText().isEmpty()
                    || json.path("client_email").asText().isEmpty()) {
                return List.of(at + key.toAbsolutePath() + " is not a service account key (a JSON file with type "
                        + "service_account, client_email and private_key, downloaded from the Google Cloud console)");
            }
            return List.of();
        } catch (java.io.IOException | RuntimeException e) {
            return List.of(at + key.toAbsolutePath() + " is not a service account key: it is not JSON ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new GoogleCalendarInstance(context);
    }
}
