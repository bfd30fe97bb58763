package dev.ponte.connectors.googlecalendar;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;

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
                            "Root URL of the Google APIs; change only for a stand-in in tests"),
                    ConfigField.optional("token-url", ConfigType.URL, "https://oauth2.googleapis.com/token",
                            "OAuth 2.0 token endpoint; change only for a stand-in in tests"),
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
                    ConfigField.optional("calendars", ConfigType.STRING, null,
                            "Comma-separated calendar ids synced back into the hub (moves and deletions made in "
                                    + "Google); empty = one-way, hub to Google only"),
                    ConfigField.optional("time-zone", ConfigType.STRING, "America/Sao_Paulo",
                            "Time zone of the events written and of the times read back"),
                    ConfigField.optional("sync-interval", ConfigType.DURATION, "5m",
                            "How often the calendars are synced, besides push notifications"),
                    ConfigField.optional("push-address", ConfigType.URL, null,
                            "Public HTTPS address Google sends push notifications to (it reaches webhook-path "
                                    + "through your proxy); empty = no push, polling only"),
                    ConfigField.secret("channel-token", "Token Google echoes in X-Goog-Channel-Token on every push "
                            + "notification; notifications without it are refused", false),
                    ConfigField.optional("webhook-path", ConfigType.STRING, "/webhooks/google-calendar/${instance}",
                            "Path of the push-notification endpoint on the hub's HTTP server"),
                    ConfigField.optional("patient-in-title", ConfigType.BOOLEAN, "true",
                            "Whether event titles carry the patient's first name (else only the procedure)"),
                    ConfigField.optional("requests-per-second", ConfigType.INT, "5",
                            "Requests per second this instance sends at most, to stay within the per-user quota"),
                    ConfigField.optional("backoff-initial", ConfigType.DURATION, "500ms",
                            "First wait before retrying a 429, 5xx or connection error; doubles each retry"),
                    ConfigField.optional("backoff-max-elapsed", ConfigType.DURATION, "30s",
                            "Time after which a request stops retrying and the broker's redelivery takes over"),
                    ConfigField.optional("timeout", ConfigType.DURATION, "20s",
                            "Connect and read timeout of each request")));

    /** The id of the Google event of an appointment (derived from its canonical id; see the README). */
    public static String eventIdOf(String appointmentCanonicalId) {
        return EventMapper.eventId(appointmentCanonicalId);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new GoogleCalendarInstance(context);
    }
}
