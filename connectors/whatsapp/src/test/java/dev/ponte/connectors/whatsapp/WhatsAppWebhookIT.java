package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.MessageEvents;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RecordingMessageEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook through the hub's real HTTP server ({@link KitHub#httpUrl()}): Meta's verification challenge, forged
 * notifications refused before anything is read, signed ones reported to the hub's {@link MessageEvents} (but for
 * the changes of the app's other phone numbers and the statuses and messages that cannot be read), and a hub that
 * cannot record them asking Meta to send them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhatsAppWebhookIT {

    private static final String PATH = "/webhooks/whatsapp/" + KitHub.INSTANCE;

    @TempDir
    static Path work;
    private GraphStandIn graph;
    private KitHub hub;
    private String url;

    @BeforeAll
    void start() throws Exception {
        graph = new GraphStandIn();
        graph.accepts();
        hub = KitHub.start(new WhatsAppConnector(), graph.config(), false, work.resolve("hub"));
        url = hub.httpUrl() + PATH;
    }

    @AfterAll
    void stop() throws Exception {
        hub.close();
        graph.close();
    }

    private RecordingMessageEvents events() {
        return hub.messageEvents();
    }

    // ---- GET: Meta verifies the callback URL -----------------------------------------------------------------

    @Test
    void theVerificationChallengeIsEchoedForTheRightTokenOnly() throws Exception {
        HttpResponse<String> ok = Meta.get(url, Map.of("hub.mode", "subscribe", "hub.verify_token",
                GraphStandIn.VERIFY_TOKEN, "hub.challenge", "1158201444"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");

        for (Map<String, String> bad : java.util.List.of(
                Map.of("hub.mode", "subscribe", "hub.verify_token", "not-the-token", "hub.challenge", "1"),
                Map.of("hub.mode", "subscribe", "hub.verify_token", GraphStandIn.VERIFY_TOKEN + "x",
                        "hub.challenge", "1"),
                Map.of("hub.mode", "subscribe", "hub.challenge", "1"),
                Map.of("hub.verify_token", GraphStandIn.VERIFY_TOKEN, "hub.challenge", "1"),
                Map.of("hub.mode", "unsubscribe", "hub.verify_token", GraphStandIn.VERIFY_TOKEN, "hub.challenge",
                        "1"))) {
            HttpResponse<String> refused = Meta.get(url, bad);
            assertThat(refused.statusCode()).as(bad.keySet().toString()).isEqualTo(403);
            assertThat(refused.body()).as("nothing echoed").isEmpty();
        }
    }

    // ---- POST: forged notifications -------------------------------------------------------------------------

    static Stream<Arguments> forgeries() throws Exception {
        byte[] body = Meta.statuses("wamid.FORGED-1", "read", "1767261600").getBytes(StandardCharsets.UTF_8);
        String good = Meta.signature(GraphStandIn.APP_SECRET, body);
        // one byte of the body changed, still a valid notification: only the signature tells
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("\"read\"", "\"reaD\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(changed).hasSameSizeAs(body).isNotEqualTo(body);
        String other = Meta.signature(GraphStandIn.APP_SECRET, Meta.statuses("wamid.OTHER", "read", "1767261600")
                .getBytes(StandardCharsets.UTF_8));
        String hex = good.substring("sha256=".length());
        return Stream.of(
                Arguments.of("no signature", body, null, 401),
                Arguments.of("signed with another secret", body, Meta.signature("another-app-S3cret-0123456", body),
                        403),
                Arguments.of("the signature of another body", body, other, 403),
                Arguments.of("one byte of the body changed", changed, good, 403),
                Arguments.of("prefix in upper case", body, "SHA256=" + hex, 403),
                Arguments.of("hex in upper case", body, "sha256=" + hex.toUpperCase(Locale.ROOT), 403),
                Arguments.of("sha1 prefix", body, "sha1=" + hex, 403),
                Arguments.of("no sha256= prefix", body, hex, 403),
                Arguments.of("a space after the =", body, "sha256= " + hex, 403),
                Arguments.of("a digit short", body, good.substring(0, good.length() - 1), 403),
                Arguments.of("empty", body, "", 403));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void aForgedNotificationIsRefusedAndNothingIsRecorded(String why, byte[] body, String signature, int status)
            throws Exception {
        int statuses = events().statuses().size();
        int replies = events().replies().size();
        HttpResponse<String> r = Meta.post(url, body, signature);
        assertThat(r.statusCode()).as(why).isEqualTo(status);
        assertThat(r.body()).isEmpty();
        assertThat(events().statuses()).hasSize(statuses);
        assertThat(events().replies()).hasSize(replies);
    }

    @Test
    void aSignedBodyThatIsNotANotificationIsRefusedWith400() throws Exception {
        String notification = Meta.statuses("wamid.T-1", "read", "1767261600");
        for (String body : new String[] {"not json", "{\"object\":\"page\",\"entry\":[]}", "[]", "",
                "{\"object\":\"whatsapp_business_account\"}", "{\"object\":\"whatsapp_business_account\",\"entry\":{}}",
                notification + "{", notification + notification}) {
            assertThat(Meta.postSigned(url, body.getBytes(StandardCharsets.UTF_8)).statusCode()).as(body)
                    .isEqualTo(400);
        }
        assertThat(events().statuses()).noneMatch(u -> u.externalId().equals("wamid.T-1"));
    }

    // ---- POST: signed notifications ------------------------------------------------------------------------

    @Test
    void signedStatusesAreReportedInOrder() throws Exception {
        String body = Meta.statuses("wamid.S-1", "sent", "1767261600", "wamid.S-1", "delivered", "1767261601",
                "wamid.S-1", "read", "1767261660", "wamid.S-1", "deleted", "1767261700");
        int before = events().statuses().size();
        assertThat(Meta.postSigned(url, body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(events().statuses().subList(before, events().statuses().size())).containsExactly(
                status("wamid.S-1", MessageEvents.DeliveryStatus.SENT, 1767261600),
                status("wamid.S-1", MessageEvents.DeliveryStatus.DELIVERED, 1767261601),
                status("wamid.S-1", MessageEvents.DeliveryStatus.READ, 1767261660));
    }

    @Test
    void aSignedTextReplyIsReportedWithTheMessageItAnswers() throws Exception {
        String body = Meta.text("wamid.R-1", "5511987654321", "1", "wamid.S-9", 1767261800);
        int before = events().replies().size();
        assertThat(Meta.postSigned(url, body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(events().replies().subList(before, events().replies().size())).containsExactly(
                new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.R-1", "+5511987654321", "wamid.S-9", "1",
                        null, Instant.ofEpochSecond(1767261800)));
    }

    @Test
    void theChangesOfAnotherPhoneNumberOfTheAppAreIgnored() throws Exception {
        String body = Meta.notification(
                Meta.change(GraphStandIn.PHONE_NUMBER_ID, Meta.statusList("wamid.N-1", "delivered", "1767262000")
                        + ",\"messages\":[" + Meta.textMessage("wamid.N-IN-1", "5511987654321", "sim", "wamid.N-1",
                        1767262001) + "]"),
                Meta.change("409552778964973", Meta.statusList("wamid.N-2", "delivered", "1767262002")
                        + ",\"messages\":[" + Meta.textMessage("wamid.N-IN-2", "5511912345678", "não", "wamid.N-2",
                        1767262003) + "]"));
        int statuses = events().statuses().size();
        int replies = events().replies().size();
        assertThat(Meta.postSigned(url, body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(events().statuses().subList(statuses, events().statuses().size())).containsExactly(
                status("wamid.N-1", MessageEvents.DeliveryStatus.DELIVERED, 1767262000));
        assertThat(events().replies().subList(replies, events().replies().size())).containsExactly(
                new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.N-IN-1", "+5511987654321", "wamid.N-1", "sim",
                        null, Instant.ofEpochSecond(1767262001)));
    }

    @Test
    void aChangeWithoutMetadataIsReadAsBefore() throws Exception {
        String body = Meta.notification(Meta.change(null, Meta.statusList("wamid.M-1", "read", "1767262100")));
        int before = events().statuses().size();
        assertThat(Meta.postSigned(url, body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(events().statuses().subList(before, events().statuses().size())).containsExactly(
                status("wamid.M-1", MessageEvents.DeliveryStatus.READ, 1767262100));
    }

    @Test
    void anUnreadableStatusOrMessageIsSkippedAndTheRestIsReported() throws Exception {
        String body = Meta.notification(Meta.change(GraphStandIn.PHONE_NUMBER_ID, "\"statuses\":["
                + "{\"id\":\"wamid.U-1\",\"status\":\"sent\",\"timestamp\":\"1767262200\"},"
                + "{\"status\":\"delivered\",\"timestamp\":\"1767262201\"},"
                + "{\"id\":\"wamid.U-1\",\"status\":\"delivered\",\"timestamp\":\"yesterday\"},"
                + "\"wamid.U-1\","
                + "{\"id\":\"wamid.U-1\",\"status\":\"read\",\"timestamp\":\"1767262260\"}],"
                + "\"messages\":[" + Meta.textMessage("wamid.U-IN-1", "ana.lima", "sim", "wamid.U-1", 1767262202)
                + "," + Meta.textMessage("wamid.U-IN-2", "5511987654321", "sim", "wamid.U-1", 1767262203) + "]"));
        int statuses = events().statuses().size();
        int replies = events().replies().size();
        assertThat(Meta.postSigned(url, body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(events().statuses().subList(statuses, events().statuses().size())).containsExactly(
                status("wamid.U-1", MessageEvents.DeliveryStatus.SENT, 1767262200),
                status("wamid.U-1", MessageEvents.DeliveryStatus.READ, 1767262260));
        assertThat(events().replies().subList(replies, events().replies().size())).containsExactly(
                new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.U-IN-2", "+5511987654321", "wamid.U-1", "sim",
                        null, Instant.ofEpochSecond(1767262203)));
    }

    @Test
    void whenTheHubCannotRecordANotificationMetaIsAskedToSendItAgain() throws Exception {
        byte[] body = Meta.statuses("wamid.F-1", "delivered", "1767261900").getBytes(StandardCharsets.UTF_8);
        int before = events().statuses().size();
        events().failWith(new IllegalStateException("database unavailable"));
        try {
            assertThat(Meta.postSigned(url, body).statusCode()).isEqualTo(503);
        } finally {
            events().failWith(null);
        }
        assertThat(events().statuses()).hasSize(before);
        assertThat(Meta.postSigned(url, body).statusCode()).as("Meta's retry").isEqualTo(200);
        assertThat(Meta.postSigned(url, body).statusCode()).as("sent once more: idempotent").isEqualTo(200);
        assertThat(events().statuses().subList(before, events().statuses().size())).containsExactly(
                status("wamid.F-1", MessageEvents.DeliveryStatus.DELIVERED, 1767261900));
    }

    @Test
    void onlyGetAndPostAreServed() throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).method("PUT", java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    private static MessageEvents.StatusUpdate status(String id, MessageEvents.DeliveryStatus s, long at) {
        return new MessageEvents.StatusUpdate(KitHub.INSTANCE, id, s, Instant.ofEpochSecond(at), null, null);
    }
}
