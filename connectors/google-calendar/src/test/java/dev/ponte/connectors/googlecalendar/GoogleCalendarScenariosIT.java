package dev.ponte.connectors.googlecalendar;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ponte.testkit.InboundResult;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Google Calendar API's failure modes, each as a WireMock scenario against a running instance. */
class GoogleCalendarScenariosIT {

    private static final String CALENDAR = SampleCommands.PROFESSIONAL_CALENDAR;
    private static final String EVENTS = "/calendar/v3/calendars/[^/]+/events";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;
    private GoogleStandIn google;

    @BeforeEach
    void startStandIn() throws Exception {
        google = new GoogleStandIn();
    }

    @AfterEach
    void stopStandIn() {
        google.close();
    }

    private KitHub start(Map<String, String> extra) throws Exception {
        Map<String, String> config = google.config();
        config.putAll(extra);
        return KitHub.start(new GoogleCalendarConnector(), config, false, work.resolve("hub"));
    }

    private static OutboundCommand command(String id, int hour) {
        return SampleCommands.appointment(id, OffsetDateTime.of(2026, 12, 1, hour, 0, 0, 0, ZoneOffset.ofHours(-3)),
                OutboundCommand.Action.UPSERT);
    }

    @Test
    void a429IsRetriedWithBackoffThenTheEventIsInsertedOnce() throws Exception {
        google.server.stubFor(post(urlPathMatching(EVENTS)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok").willReturn(GoogleStandIn.error(429, "rateLimitExceeded", "Rate Limit Exceeded")));
        google.server.stubFor(post(urlPathMatching(EVENTS)).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(GoogleStandIn.json(200, "{\"etag\":\"\\\"1\\\"\"}")));
        try (KitHub hub = start(Map.of())) {
            hub.send(command("appt-429", 10));
            awaitOneRecordedEffect(hub);
            assertThat(google.count(RequestMethod.POST, EVENTS + ".*")).isEqualTo(2);
            assertThat(google.effects()).isEqualTo(1);
            assertThat(hub.deadLetters()).isEmpty();
        }
    }

    @Test
    void aConnectionResetIsRetriedThenTheEventIsInsertedOnce() throws Exception {
        google.server.stubFor(post(urlPathMatching(EVENTS)).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        google.server.stubFor(post(urlPathMatching(EVENTS)).inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(GoogleStandIn.json(200, "{\"etag\":\"\\\"1\\\"\"}")));
        try (KitHub hub = start(Map.of())) {
            hub.send(command("appt-reset", 10));
            awaitOneRecordedEffect(hub);
            assertThat(google.count(RequestMethod.POST, EVENTS + ".*")).isEqualTo(2);
            assertThat(google.effects()).isEqualTo(1);
        }
    }

    @Test
    void a403RateLimitExceededIsRetriedByTheBrokerNotDeadLettered() throws Exception {
        google.server.stubFor(post(urlPathMatching(EVENTS)).inScenario("403").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok").willReturn(GoogleStandIn.error(403, "rateLimitExceeded", "Rate Limit Exceeded")));
        google.server.stubFor(post(urlPathMatching(EVENTS)).inScenario("403").whenScenarioStateIs("ok")
                .willReturn(GoogleStandIn.json(200, "{\"etag\":\"\\\"1\\\"\"}")));
        try (KitHub hub = start(Map.of())) {
            hub.send(command("appt-403", 10));
            awaitOneRecordedEffect(hub);
            assertThat(hub.deliveries()).as("the first attempt failed, the broker redelivered").isEqualTo(2);
            assertThat(hub.deadLetters()).isEmpty();
        }
    }

    @Test
    void a412ConflictIsResolvedByReReadingAndReApplyingTheHubsVersion() throws Exception {
        String eventId = EventMapper.eventId("appt-412");
        google.server.stubFor(post(urlPathMatching(EVENTS)).willReturn(GoogleStandIn.json(200,
                "{\"id\":\"" + eventId + "\",\"etag\":\"\\\"e1\\\"\"}")));
        // someone moved the event in Google: our etag e1 is stale, the event is now at e2
        // NetHttpTransport sends PATCH as POST with X-HTTP-Method-Override, which Google accepts
        google.server.stubFor(patchOf(eventId).withHeader("If-Match", equalTo("\"e1\""))
                .willReturn(GoogleStandIn.error(412, "conditionNotMet", "Precondition Failed")));
        google.server.stubFor(get(urlPathMatching(EVENTS + "/" + eventId)).willReturn(GoogleStandIn.json(200,
                GoogleStandIn.event(eventId, "e2", "2026-12-01T16:00:00-03:00", "2026-12-01T16:40:00-03:00",
                        "confirmed", "appt-412"))));
        google.server.stubFor(patchOf(eventId).withHeader("If-Match", equalTo("\"e2\""))
                .willReturn(GoogleStandIn.json(200, "{\"id\":\"" + eventId + "\",\"etag\":\"\\\"e3\\\"\"}")));
        try (KitHub hub = start(Map.of())) {
            hub.send(command("appt-412", 10));
            awaitOneRecordedEffect(hub);
            hub.send(command("appt-412", 11)); // rescheduled in the hub
            await("the hub's version applied over the conflict").atMost(WAIT).untilAsserted(() ->
                    assertThat(state(hub, "etag:" + eventId)).as(() -> "the event's etag kept by the instance; "
                            + seen(hub)).isEqualTo("\"e3\""));
            var patches = google.writes().stream().filter(e -> "PATCH".equals(e.getRequest()
                    .getHeader("X-HTTP-Method-Override"))).toList();
            assertThat(patches).hasSize(2);
            assertThat(patches.get(1).getRequest().getHeader("If-Match")).isEqualTo("\"e2\"");
            assertThat(patches.get(1).getRequest().getBodyAsString()).as("the hub's time wins")
                    .contains("\"dateTime\":\"2026-12-01T11:00:00.000-03:00\"");
            assertThat(auditActions(hub)).contains("sync.conflict");
            assertThat(hub.deadLetters()).isEmpty();
        }
    }

    @Test
    void anExpiredSyncTokenGives410AndAFullResync() throws Exception {
        String eventId = EventMapper.eventId("appt-410");
        google.server.stubFor(get(urlPathMatching(EVENTS)).withQueryParam("syncToken", equalTo("old-token"))
                .willReturn(GoogleStandIn.error(410, "fullSyncRequired", "Sync token is no longer valid")));
        google.server.stubFor(get(urlPathMatching(EVENTS)).withQueryParam("syncToken", absent())
                .willReturn(GoogleStandIn.json(200, "{\"items\":[" + GoogleStandIn.event(eventId, "7",
                        "2026-12-01T15:00:00-03:00", "2026-12-01T15:40:00-03:00", "confirmed", "appt-410")
                        + "],\"nextSyncToken\":\"new-token\"}")));
        Path dir = work.resolve("hub");
        try (KitHub hub = start(Map.of("calendars", CALENDAR, "sync-interval", "1h"))) {
            Seeds.appointment(hub, "appt-410", "2026-12-01T10:00:00-03:00");
            hub.state().put("sync-token:" + CALENDAR, "old-token", dev.ponte.spi.ConnectorStateStore.ABSENT);
            await("the full resync").atMost(WAIT).untilAsserted(() -> {
                assertThat(state(hub, "sync-token:" + CALENDAR)).as(() -> "the calendar's sync token; " + seen(hub))
                        .isEqualTo("new-token");
                assertThat(hub.inboundResults()).as(() -> "records through the inbound pipeline; " + seen(hub))
                        .hasSize(1);
            });
            assertThat(hub.inboundResults().get(0).outcome()).isEqualTo(InboundResult.Outcome.UPDATED);
            assertThat(storedAppointment(hub, "appt-410")).contains("\"start\":\"2026-12-01T15:00:00-03:00\"");
        }
        assertThat(dir).isDirectory();
    }

    @Test
    void aPushNotificationWithAWrongChannelTokenIsRefusedAndChangesNothing() throws Exception {
        google.server.stubFor(get(urlPathMatching(EVENTS)).willReturn(GoogleStandIn.json(200,
                "{\"items\":[],\"nextSyncToken\":\"t1\"}")));
        try (KitHub hub = start(Map.of("calendars", CALENDAR, "sync-interval", "1h"))) {
            await("the first sync of the calendar").atMost(WAIT).untilAsserted(() ->
                    assertThat(state(hub, "sync-token:" + CALENDAR)).as(() -> "the calendar's sync token; "
                            + seen(hub)).isNotNull());
            long lists = google.count(RequestMethod.GET, EVENTS + ".*");
            String channel = SyncRoutes.channelPrefix(KitHub.INSTANCE, CALENDAR) + "abc123";

            assertThat(push(hub, channel, "forged-token").statusCode()).isEqualTo(403);
            assertThat(push(hub, "someone-elses-channel", GoogleStandIn.CHANNEL_TOKEN).statusCode()).isEqualTo(403);
            assertThat(google.count(RequestMethod.GET, EVENTS + ".*")).as("no sync for a refused notification")
                    .isEqualTo(lists);

            assertThat(push(hub, channel, GoogleStandIn.CHANNEL_TOKEN).statusCode()).isEqualTo(200);
            assertThat(google.count(RequestMethod.GET, EVENTS + ".*")).as("a genuine notification syncs")
                    .isEqualTo(lists + 1);
        }
    }

    @Test
    void pushAddressWithoutChannelTokenIsAConfigurationError() {
        Map<String, String> config = google.config();
        config.remove("channel-token");
        config.put("push-address", "https://clinica.example/webhooks/google-calendar/kit");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KitHub.start(new GoogleCalendarConnector(), config,
                false, work.resolve("hub"))).isInstanceOf(dev.ponte.spi.ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.kit.channel-token");
    }

    private void awaitOneRecordedEffect(KitHub hub) {
        await("the command's effect recorded by the hub").atMost(WAIT).untilAsserted(() ->
                assertThat(hub.recordedEffects()).as(() -> "effects recorded by the hub; " + seen(hub)).isEqualTo(1));
    }

    private static String state(KitHub hub, String key) {
        return hub.state().value(key).orElse(null);
    }

    /** What the hub and the stand-in saw so far, for the message of a wait that gives up. */
    private String seen(KitHub hub) {
        return "deliveries to the sink " + hub.deliveries() + ", open dead letters " + hub.deadLetters().stream()
                .map(d -> d.errorClass() + " " + d.rules()).toList() + ", inbound records " + hub.inboundResults()
                .stream().map(r -> r.key() + " " + r.outcome()).toList() + ", Google saw " + google.server
                .getAllServeEvents().stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()
                        .replaceAll("\\?.*", "") + (e.getResponse() == null ? "" : " " + e.getResponse().getStatus()))
                .toList();
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder patchOf(String eventId) {
        return post(urlPathMatching(EVENTS + "/" + eventId)).withHeader("X-HTTP-Method-Override", equalTo("PATCH"));
    }

    private static HttpResponse<String> push(KitHub hub, String channel, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/webhooks/google-calendar/kit"))
                .header("X-Goog-Channel-ID", channel).header("X-Goog-Channel-Token", token)
                .header("X-Goog-Resource-State", "exists").header("X-Goog-Message-Number", "2")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String storedAppointment(KitHub hub, String id) {
        String payload = hub.canonicalPayload("Appointment", id);
        if (payload == null) {
            throw new java.util.NoSuchElementException("Appointment " + id);
        }
        return payload;
    }

    private static java.util.List<String> auditActions(KitHub hub) {
        return hub.auditActions();
    }
}
