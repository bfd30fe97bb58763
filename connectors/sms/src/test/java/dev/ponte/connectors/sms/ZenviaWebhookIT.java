package dev.ponte.connectors.sms;

import dev.ponte.spi.MessageEvents;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RecordingMessageEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zenvia webhook through the hub's real HTTP server ({@link KitHub#httpUrl()}), as Zenvia's subscriptions call it
 * with the {@code X-Ponte-Token} header the admin set: statuses and inbound messages reported to the hub's
 * {@link MessageEvents}, requests without the token refused before anything is read, malformed bodies refused with
 * 400, and a hub that cannot record them asking Zenvia to send them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZenviaWebhookIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    private ZenviaStandIn zenvia;
    private KitHub hub;
    private String url;

    @BeforeAll
    void start() throws Exception {
        zenvia = new ZenviaStandIn();
        hub = KitHub.start(new SmsConnector(), zenvia.config(), false, work.resolve("hub"));
        url = hub.httpUrl() + ZenviaStandIn.PATH;
    }

    @AfterAll
    void stop() throws Exception {
        hub.close();
        zenvia.close();
    }

    private RecordingMessageEvents events() {
        return hub.messageEvents();
    }

    private HttpResponse<String> post(String body, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            r.header("X-Ponte-Token", token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post(body, ZenviaStandIn.WEBHOOK_TOKEN);
    }

    static String status(String messageId, String code, String timestamp, String causes) {
        return "{\"id\":\"evt-" + messageId + code + "\",\"timestamp\":\"2026-12-01T13:00:00.000Z\","
                + "\"type\":\"MESSAGE_STATUS\",\"subscriptionId\":\"sub-1\",\"channel\":\"sms\","
                + "\"messageId\":\"" + messageId + "\",\"contentIndex\":0,\"messageStatus\":{\"timestamp\":\""
                + timestamp + "\",\"code\":\"" + code + "\",\"description\":\"…\"" + (causes == null ? ""
                : ",\"causes\":" + causes) + "}}";
    }

    static String message(String id, String from, String direction, String contents) {
        return "{\"id\":\"evt-" + id + "\",\"timestamp\":\"2026-12-01T13:05:00.000Z\",\"type\":\"MESSAGE\","
                + "\"subscriptionId\":\"sub-2\",\"channel\":\"sms\",\"direction\":\"" + direction + "\","
                + "\"message\":{\"id\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"ClinicaBela\","
                + "\"direction\":\"" + direction + "\",\"channel\":\"sms\",\"contents\":" + contents + "}}";
    }

    @Test
    void statusesAreMappedAndFailuresCarryTheFirstCause() throws Exception {
        assertThat(post(status("zs-1", "SENT", "2026-12-01T13:00:01Z", null)).statusCode()).isEqualTo(200);
        assertThat(post(status("zs-1", "DELIVERED", "2026-12-01T13:00:05Z", null)).statusCode()).isEqualTo(200);
        assertThat(post(status("zs-1", "READ", "2026-12-01T13:01:00Z", null)).statusCode()).isEqualTo(200);
        assertThat(post(status("zs-1", "CLICKED", "2026-12-01T13:02:00Z", null)).statusCode()).isEqualTo(200);
        assertThat(post(status("zs-2", "NOT_DELIVERED", "2026-12-01T13:00:09Z", "[{\"reason\":\"INVALID_DESTINATION"
                + "\",\"details\":\"Número 5511991214283 inválido\"},{\"reason\":\"OTHER\"}]")).statusCode())
                .isEqualTo(200);
        assertThat(post(status("zs-3", "REJECTED", "2026-12-01T13:00:10Z", null)).statusCode()).isEqualTo(200);
        assertThat(events().statuses()).filteredOn(s -> s.externalId().startsWith("zs-")).containsExactly(
                new MessageEvents.StatusUpdate(KitHub.INSTANCE, "zs-1", MessageEvents.DeliveryStatus.SENT,
                        Instant.parse("2026-12-01T13:00:01Z"), null, null),
                new MessageEvents.StatusUpdate(KitHub.INSTANCE, "zs-1", MessageEvents.DeliveryStatus.DELIVERED,
                        Instant.parse("2026-12-01T13:00:05Z"), null, null),
                new MessageEvents.StatusUpdate(KitHub.INSTANCE, "zs-1", MessageEvents.DeliveryStatus.READ,
                        Instant.parse("2026-12-01T13:01:00Z"), null, null),
                new MessageEvents.StatusUpdate(KitHub.INSTANCE, "zs-2", MessageEvents.DeliveryStatus.FAILED,
                        Instant.parse("2026-12-01T13:00:09Z"), "INVALID_DESTINATION", "Número <number> inválido"),
                new MessageEvents.StatusUpdate(KitHub.INSTANCE, "zs-3", MessageEvents.DeliveryStatus.FAILED,
                        Instant.parse("2026-12-01T13:00:10Z"), "REJECTED", null));
    }

    @Test
    void anInboundTextIsRecordedAsAReplyAndOutboundOrTextlessMessagesAreIgnored() throws Exception {
        assertThat(post(message("z-in-1", "5511987654321", "IN", "[{\"type\":\"text\",\"text\":\"Sim, confirmo "
                + "✓\"}]")).statusCode()).isEqualTo(200);
        assertThat(post(message("z-out-1", "ClinicaBela", "OUT", "[{\"type\":\"text\",\"text\":\"x\"}]"))
                .statusCode()).isEqualTo(200);
        assertThat(post(message("z-in-2", "5511987654321", "IN", "[{\"type\":\"file\",\"fileUrl\":\"https://x\"}]"))
                .statusCode()).isEqualTo(200);
        assertThat(events().replies()).filteredOn(r -> r.providerId().startsWith("z-")).containsExactly(
                new MessageEvents.PatientReply(KitHub.INSTANCE, "z-in-1", "+5511987654321", null, "Sim, confirmo ✓",
                        null, Instant.parse("2026-12-01T13:05:00Z")));
    }

    @Test
    void aRequestWithoutTheRightTokenIsRefusedAndNothingChanges() throws Exception {
        String body = status("z-f-1", "DELIVERED", "2026-12-01T13:00:05Z", null);
        int statuses = events().statuses().size();
        for (String token : new String[] {null, "", "wrong-token-0123456789", ZenviaStandIn.WEBHOOK_TOKEN + "x",
                ZenviaStandIn.WEBHOOK_TOKEN.substring(1)}) {
            HttpResponse<String> r = post(body, token);
            assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(403);
            assertThat(r.body()).isEmpty();
        }
        assertThat(events().statuses()).hasSize(statuses);
    }

    @Test
    void aMalformedBodyIsRefusedWith400AndAClearMessage() throws Exception {
        String good = status("z-m-1", "DELIVERED", "2026-12-01T13:00:05Z", null);
        for (String body : new String[] {"not json", "", "[]", "\"text\"", good + good, good.substring(0, 40),
                "{\"type\":\"MESSAGE_STATUS\",\"messageStatus\":{\"code\":\"SENT\"}}",
                "{\"type\":\"MESSAGE\",\"message\":{\"from\":\"5511987654321\"}}"}) {
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).containsIgnoringCase("zenvia").doesNotContain("5511987654321");
        }
        assertThat(events().statuses()).noneMatch(s -> s.externalId().equals("z-m-1"));
        assertThat(post("{\"type\":\"CONVERSATION\"}").statusCode()).as("another type").isEqualTo(200);
    }

    @Test
    void whenTheHubCannotRecordAnEventZenviaIsAskedToSendItAgain() throws Exception {
        String body = status("z-r-1", "DELIVERED", "2026-12-01T13:00:05Z", null);
        events().failWith(new IllegalStateException("database unavailable"));
        try {
            assertThat(post(body).statusCode()).isEqualTo(503);
        } finally {
            events().failWith(null);
        }
        assertThat(events().statuses()).noneMatch(s -> s.externalId().equals("z-r-1"));
        assertThat(post(body).statusCode()).as("Zenvia's retry").isEqualTo(200);
        assertThat(post(body).statusCode()).as("sent once more: idempotent").isEqualTo(200);
        assertThat(events().statuses()).filteredOn(s -> s.externalId().equals("z-r-1")).hasSize(1);
    }
}
