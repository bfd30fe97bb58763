package dev.ponte.hub;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dev.ponte.connectors.googlecalendar.GoogleCalendarConnector;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.ConnectorState;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole hub with a legacy export and a Google Calendar stand-in: appointments imported from the legacy system
 * appear as events once; an event moved in Google changes the appointment in the store once (and is not echoed
 * back); an appointment cancelled in the legacy system deletes its event once.
 */
class CalendarSyncIT {

    private static final String CALENDAR = "prof3@clinica-exemplo.com.br";
    private static final String TOKEN = "it-channel-T0ken";
    private static final String HEADER = "COD_AGENDA;COD_PACIENTE;DATA;HORA_INI;HORA_FIM;COD_PROFISSIONAL;SALA;"
            + "COD_PROCEDIMENTO;SITUACAO;VALOR;CONVENIO;SENHA_AUTORIZACAO;COD_PACOTE_PACIENTE;OBS";
    private static final String ROW_A = "900001;1089;01/12/2026;10:00;10:40;3;Sala Laser;P009;%s;280,00;PARTICULAR;;;";
    private static final String ROW_B = "900002;1003;02/12/2026;15:00;16:00;4;Sala 2;P004;AG;1.800,00;PARTICULAR;;;";

    @TempDir
    Path dataDir;
    private WireMockServer google;
    private PonteHub hub;
    private int httpPort;

    @BeforeEach
    void start() throws Exception {
        google = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        google.start();
        google.stubFor(post(urlPathEqualTo("/token")).willReturn(json("{\"access_token\":\"ya29.it\","
                + "\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        google.stubFor(get(urlPathEqualTo("/calendar/v3/users/me/calendarList")).willReturn(json("{\"items\":[]}")));
        google.stubFor(post(urlPathMatching("/calendar/v3/calendars/[^/]+/events")).willReturn(json(
                "{\"etag\":\"\\\"1\\\"\",\"status\":\"confirmed\"}")));
        google.stubFor(delete(urlPathMatching("/calendar/v3/calendars/[^/]+/events/.*")).willReturn(
                aResponse().withStatus(204)));
        google.stubFor(get(urlPathMatching("/calendar/v3/calendars/[^/]+/events")).willReturn(json(
                "{\"items\":[],\"nextSyncToken\":\"t0\"}")));
        httpPort = HubTestSupport.freePort();
        String root = "http://127.0.0.1:" + google.port();
        Map<String, String> o = HubTestSupport.calendarConnector(root, TOKEN, CALENDAR);
        o.put("ponte.http.port", String.valueOf(httpPort));
        o.put("ponte.connectors.calendar.requests-per-second", "100");
        o.put("ponte.connectors.calendar.backoff-initial", "50ms");
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, o)).start(true);
    }

    @AfterEach
    void stop() {
        hub.close();
        google.stop();
    }

    @Test
    void eventsFollowTheHubAndMovesInGoogleComeBackEachExactlyOnce() throws Exception {
        Path inbox = dataDir.resolve("inbox/legacy");
        HubTestSupport.drop(inbox, HubTestSupport.DEMO_EXPORT.resolve("procedimentos.csv"),
                HubTestSupport.DEMO_EXPORT.resolve("profissionais.csv"),
                HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"));
        // the agenda refers to patients, professionals and procedures: all three imported before it is dropped
        await("the reference files imported").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(java.util.stream.Stream.of("procedimentos.csv", "profissionais.csv", "pacientes.csv")
                        .filter(f -> !Files.exists(inbox.resolve("done/" + f + ".report.json"))).toList())
                        .as(() -> "files without a report in done/; " + Waits.inbox(inbox) + "; "
                                + Waits.hubState(hub)).isEmpty());
        dropAgenda(inbox, 1, String.format(ROW_A, "AG"), ROW_B);

        // hub → Google: one insert per appointment, in its professional's calendar
        await("one insert in Google per appointment").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(inserts()).as(() -> "inserts Google received; " + state(inbox)).isEqualTo(2));
        String a = hub.database().inTransaction(c -> CanonicalStore.xref(c, "legacy-clinic", "Appointment", "900001"))
                .orElseThrow().canonicalId();
        String eventA = GoogleCalendarConnector.eventIdOf(a);
        assertThat(google.getAllServeEvents()).anyMatch(e -> e.getRequest().getUrl().contains(
                "/calendars/prof3") && e.getRequest().getBodyAsString().contains(eventA));

        // Google → hub: the event is moved two hours later in Google; the push notification brings it in. The first
        // sync (at start, of an empty calendar) must be over, so that each push below is the only sync of its change:
        // each change is one message through the calendar's inbound route.
        await("the first sync of the calendar").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(syncToken()).as(() -> "the calendar's sync token; " + state(inbox)).isEqualTo("t0"));
        NotifyBuilder bothChanges = new NotifyBuilder(hub.camel()).fromRoute("calendar-inbound").whenDone(2).create();
        google.stubFor(get(urlPathMatching("/calendar/v3/calendars/[^/]+/events")).willReturn(json(
                "{\"items\":[{\"id\":\"" + eventA + "\",\"etag\":\"\\\"2\\\"\",\"status\":\"confirmed\","
                        + "\"updated\":\"2026-11-23T12:00:00.000Z\",\"start\":{\"dateTime\":\"2026-12-01T12:00:00-03:00\"},"
                        + "\"end\":{\"dateTime\":\"2026-12-01T12:40:00-03:00\"},\"extendedProperties\":{\"private\":"
                        + "{\"ponteAppointmentId\":\"" + a + "\",\"ponteInstance\":\"calendar\"}}}],"
                        + "\"nextSyncToken\":\"t1\"}")));
        assertThat(push()).isEqualTo(200);
        await("the move in Google applied to the appointment").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(events(a, "appointment.rescheduled")).as(() -> "appointment.rescheduled events; "
                        + state(inbox)).isEqualTo(1));
        assertThat(hub.database().inTransaction(c -> CanonicalStore.payload(c, "Appointment", a)).orElseThrow())
                .contains("\"start\":\"2026-12-01T12:00:00-03:00\"");
        assertThat(push()).as("the same change notified again").isEqualTo(200);
        assertThat(google.countRequestsMatching(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder
                .newRequestPattern(RequestMethod.GET, urlPathMatching("/calendar/v3/calendars/[^/]+/events"))
                .build()).getCount()).isGreaterThanOrEqualTo(3);
        // the second notification's change went through the hub (as UNCHANGED, which leaves no trace in the store)
        await("the change of the second notification through the inbound route").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(bothChanges.matches()).as(() -> "both changes done on"
                        + " calendar-inbound; " + state(inbox)).isTrue());
        assertThat(hub.database().<Long>inTransaction(c -> countRows(c,
                "select count(*) from xref where system = 'google-calendar' and source_id = ?", eventA)))
                .as("xrefs of the event").isEqualTo(1);
        assertThat(events(a, "appointment.rescheduled")).as("applied once").isEqualTo(1);

        // hub → Google: cancelled in the legacy system, the event is deleted, once
        dropAgenda(inbox, 2, String.format(ROW_A, "CA"));
        await("the cancelled appointment's event deleted in Google").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(deletes(eventA)).as(() -> "deletes of the event Google received; "
                        + state(inbox)).isEqualTo(1));
        dropAgenda(inbox, 3, String.format(ROW_A, "CA"));
        await("the same cancellation exported again imported as unchanged").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(hub.database().<Long>inTransaction(c -> countRows(c,
                        "select count(*) from import_file where file_name = 'agenda.csv' and rows_done = rows_total"
                                + " and unchanged = 1 and rows_total = 1"))).as(() -> "imports of agenda.csv with"
                        + " its one row unchanged; " + state(inbox)).isEqualTo(1));
        assertThat(events(a, "appointment.status-changed")).isEqualTo(1);
        assertThat(deletes(eventA)).as("deleted once").isEqualTo(1);
        assertThat(inserts()).as("no echo of the move, no second insert").isEqualTo(2);
        assertThat(google.getAllServeEvents()).noneMatch(e -> "PATCH".equals(e.getRequest()
                .getHeader("X-HTTP-Method-Override")));
    }

    /** Drops an agenda.csv (the name its mapping reads) holding these rows: the n-th export of the day. */
    private void dropAgenda(Path inbox, int n, String... rows) throws Exception {
        Path file = Files.createDirectories(dataDir.resolve("export-" + n)).resolve("agenda.csv");
        Files.writeString(file, HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n", StandardCharsets.ISO_8859_1);
        HubTestSupport.drop(inbox, file);
    }

    private int push() throws Exception {
        String channel = "ponte-calendar-" + sha256Prefix(CALENDAR) + "-it";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/webhooks/google-calendar/calendar"))
                .header("X-Goog-Channel-ID", channel).header("X-Goog-Channel-Token", TOKEN)
                .header("X-Goog-Resource-State", "exists").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String syncToken() {
        return hub.database().inTransaction(c -> ConnectorState.state(c, "calendar", "sync-token:" + CALENDAR))
                .orElse(null);
    }

    /** What Google saw and what the hub is doing, for the message of a wait that gives up. */
    private String state(Path inbox) {
        return "Google saw " + google.getAllServeEvents().stream().map(e -> e.getRequest().getMethod() + " "
                + e.getRequest().getUrl().replaceAll("\\?.*", "") + (e.getResponse() == null ? ""
                : " " + e.getResponse().getStatus())).toList() + "; " + Waits.inbox(inbox) + "; "
                + Waits.hubState(hub);
    }

    private static String sha256Prefix(String text) throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash, 0, 8);
    }

    private long inserts() {
        return google.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().equals(RequestMethod.POST)
                && e.getRequest().getUrl().matches("/calendar/v3/calendars/[^/]+/events(\\?.*)?")).count();
    }

    private long deletes(String eventId) {
        return google.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().equals(RequestMethod.DELETE)
                && e.getRequest().getUrl().contains("/events/" + eventId)).count();
    }

    private long events(String subject, String type) {
        return hub.database().inTransaction(c -> countRows(c,
                "select count(*) from event where subject = ? and type = ?", subject, type));
    }

    private static long countRows(java.sql.Connection c, String sql, String... args) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
