package dev.ponte.connectors.googlecalendar;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ponte.spi.Connector;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RemoteRequest;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * google-calendar passes the connector test kit against a WireMock stand-in of Google's token endpoint and Calendar
 * API: sink (retries, dead letters, one effect per command, sandbox), source (an event moved in Google becomes an
 * appointment change the hub validates) and health.
 */
class GoogleCalendarAcceptanceIT extends ConnectorAcceptanceTest {

    private static final String CALENDAR = SampleCommands.PROFESSIONAL_CALENDAR;
    private GoogleStandIn google;

    @BeforeEach
    void startStandIn() throws Exception {
        google = new GoogleStandIn();
    }

    @AfterEach
    void stopStandIn() {
        google.close();
    }

    @Override
    protected Connector connector() {
        return new GoogleCalendarConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        Map<String, String> c = google.config();
        c.put("calendars", CALENDAR);
        return c;
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        return List.of(new BadConfig("root URL and sync interval unreadable", Map.of("root-url", "googleapis",
                "sync-interval", "every five minutes", "requests-per-second", "-"),
                Set.of("root-url", "sync-interval", "requests-per-second")),
                new BadConfig("values of the right type outside their validators", Map.of("root-url",
                        "ftp://googleapis.com/", "time-zone", "America/Sao Paulo", "requests-per-second", "0",
                        "webhook-path", "webhooks/no-leading-slash"),
                        Set.of("root-url", "time-zone", "requests-per-second", "webhook-path")),
                new BadConfig("both kinds of credentials, push without a channel token, a backoff longer than its "
                        + "limit", with(workDir, Map.of("service-account-key", notAKey(workDir).toString(),
                        "push-address", "https://clinica.example/webhooks/google-calendar/kit", "backoff-initial",
                        "40s", "backoff-max-elapsed", "30s"), "channel-token"),
                        Set.of("service-account-key", "channel-token", "backoff-initial")),
                new BadConfig("a service account key file that is not one", with(workDir, Map.of(
                        "service-account-key", notAKey(workDir).toString()), "client-id", "client-secret", "refresh-token"),
                        Set.of("service-account-key")));
    }

    /** The good configuration with {@code changes} applied and {@code removed} taken out. */
    private Map<String, String> with(Path workDir, Map<String, String> changes, String... removed) {
        Map<String, String> c = new java.util.LinkedHashMap<>(goodConfig(workDir));
        c.putAll(changes);
        for (String r : removed) {
            c.remove(r);
        }
        return c;
    }

    private static Path notAKey(Path workDir) {
        try {
            return java.nio.file.Files.writeString(workDir.resolve("not-a-key.json"), "{\"type\": \"authorized_user\"}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void seedStore(KitHub hub) {
        Seeds.appointment(hub, "appt-1", "2026-12-01T10:00:00-03:00");
        Seeds.appointment(hub, "appt-2", "2026-12-02T14:00:00-03:00");
    }

    @Override
    protected void produceSampleInput(KitHub hub) {
        // what Google returns: appt-1 moved an hour later, appt-2 deleted, and an event Ponte did not create
        google.server.stubFor(get(urlPathMatching("/calendar/v3/calendars/[^/]+/events")).willReturn(
                GoogleStandIn.json(200, "{\"kind\":\"calendar#events\",\"items\":["
                        + GoogleStandIn.event(EventMapper.eventId("appt-1"), "2", "2026-12-01T11:00:00-03:00",
                        "2026-12-01T11:40:00-03:00", "confirmed", "appt-1") + ","
                        + GoogleStandIn.event(EventMapper.eventId("appt-2"), "3", null, null, "cancelled", "appt-2")
                        + ",{\"id\":\"someoneelse\",\"status\":\"confirmed\",\"summary\":\"Almoço\"}"
                        + "],\"nextSyncToken\":\"token-1\"}")));
    }

    @Override
    protected int expectedSampleRecords() {
        return 2;
    }

    @Override
    protected void remoteAccepts() {
        google.accepts();
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        String state = Scenario.STARTED;
        for (int i = 0; i < times; i++) {
            String next = "failed-" + (i + 1);
            google.server.stubFor(any(urlPathMatching(GoogleStandIn.EVENTS)).inScenario("transient")
                    .whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(i % 2 == 0 ? GoogleStandIn.error(503, "backendError", "Backend Error")
                            : aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            state = next;
        }
        google.server.stubFor(any(urlPathMatching(GoogleStandIn.EVENTS)).inScenario("transient")
                .whenScenarioStateIs(state).willReturn(GoogleStandIn.json(200,
                        "{\"kind\":\"calendar#event\",\"etag\":\"\\\"1\\\"\"}")));
    }

    @Override
    protected void remoteRejects() {
        google.server.stubFor(any(urlPathMatching(GoogleStandIn.EVENTS)).willReturn(GoogleStandIn.error(400,
                "invalid", "Invalid value for: Start time")));
    }

    @Override
    protected int externalEffects() {
        return google.effects();
    }

    @Override
    protected List<RemoteRequest> remoteRequests() {
        return google.writeRequests();
    }

    @Override
    protected void resetRemote() {
        google.server.resetRequests();
    }

    @Override
    protected void remoteUnreachable() {
        google.server.stop();
    }

    @Override
    protected void remoteReachable() {
        google.server.start();
    }
}
