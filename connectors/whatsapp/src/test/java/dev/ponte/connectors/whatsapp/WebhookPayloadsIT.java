package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.MessageEvents.DeliveryStatus;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RecordingMessageEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real notifications, each signed with the test's app secret and POSTed to the webhook through the hub's HTTP server:
 * the public samples in {@code shared/fixtures/remote-apis/whatsapp} (see its SOURCES.md; read in place, never
 * copied into the project) and this module's own in {@code src/test/resources/whatsapp}, so that a fresh clone tests
 * the same paths. Each file's expected answer and reports are below: a body that is not a notification is refused
 * with 400 and nothing of it is reported; in a notification, the changes of another phone number id are ignored and
 * a status or message that cannot be read is skipped, the rest is reported and the answer is 200.
 * <p>
 * The public samples are for phone numbers of their own ({@code metadata.phone_number_id}): each is posted to an
 * instance of its number (the hub is started again with that {@code phone-number-id} when the number changes; the kit
 * runs one hub at a time), and once more to an instance of another number, which reports nothing of it. The samples
 * reuse message ids across files, so each file is reported to a fresh {@link RecordingMessageEvents} (the kit's would
 * count a reused id as a provider's retry).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookPayloadsIT {

    private static final String X = "wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==";
    private static final String SAMPLE_SENDER = "+1111111111111";
    private static final String PATIENT = "+5511987654321";
    /** The phone number id of most public samples. */
    private static final String SAMPLES_NUMBER = "409552778964973";
    /** The phone number id of the test's instance, which no public sample is for. */
    private static final String OURS = GraphStandIn.PHONE_NUMBER_ID;

    /** The public samples: what each one is (SOURCES.md), which number it is for and what the hub must be told. */
    private static final Map<String, Sample> SHARED = Map.ofEntries(
            entry("buttonMessage.json", at(SAMPLES_NUMBER, reply(X, SAMPLE_SENDER, X, null, "SIM", 1673023653))),
            entry("documentMessage.json", at("1111111111111", reply("wamid.HBgABIYNNTUyxMEFFk5NzATY2QT0TY2QT0zMDkzNh"
                    + "UCFDNFQjBFMNzARjFDQQ1AA==", SAMPLE_SENDER, null, null, null, 1673034392))),
            entry("imageMessage.json", at(SAMPLES_NUMBER, reply("wamid.HBgODE0NDQwANNTTBGRjkUyNzkzNhUCABIYFDNF5NzAzMD"
                    + "kQjBEQ3NjdBA==", SAMPLE_SENDER, null, null, null, 1673032525))),
            entry("locationMessage.json", at(SAMPLES_NUMBER, reply("wamid.HBgNNVENjUTzk5NzAzMUyNDkzIYFDNBMERNhUCABBMk"
                    + "YzNjhFQzzNEUwAA==", SAMPLE_SENDER, null, null, null, 1673641462))),
            entry("mediaUploadError.json", at(SAMPLES_NUMBER, status("wamid.HBgNNTUyNzk5NzAUZBQTI3MzRGRDA3MjgzMDkzNhU"
                    + "CABEYEjNCR2OQA=", DeliveryStatus.FAILED, 1677783372, "131053", "Media upload error"))),
            // type unsupported (the patient sent or deleted something Meta cannot show): recorded for a person
            entry("messageDeleted.json", at(SAMPLES_NUMBER, reply(X, SAMPLE_SENDER, null, null, null, 1673026174))),
            entry("reEngagementMessageError.json", at("109999999999999", status("wamid.HBgNN5NzAzMDkTUyNzkzNhUEjA1MjU"
                    + "wNCAUIyNEYUQ0OTVGNTY0MwA=", DeliveryStatus.FAILED, 1682651887, "131047", "Re-engagement message"))),
            entry("reactMessage.json", at(SAMPLES_NUMBER, reply(X, SAMPLE_SENDER, null, null, null, 1673026587))),
            entry("textMessage.json", at(SAMPLES_NUMBER, reply(X, SAMPLE_SENDER, null, "hi everyone!", null,
                    1672947578))),
            entry("textMessage2.json", at(SAMPLES_NUMBER, reply(X, "+409552778964973", null, "Good afternoon", null,
                    1673020315))),
            entry("textMessageStatusDelivered.json", at(SAMPLES_NUMBER, status(X, DeliveryStatus.DELIVERED, 1673020317,
                    null, null))),
            // a stray { after the document, as published: not one JSON document, refused for any number
            entry("textMessageStatusRead.json", at(SAMPLES_NUMBER, refused())),
            entry("textMessageStatusSent.json", at(SAMPLES_NUMBER, status(X, DeliveryStatus.SENT, 1673020317, null,
                    null))),
            // Meta's documentation template: a readable notification, but its phone_number_id is the placeholder
            // PHONE_NUMBER_ID, which no instance can have (digits only), so it is another number's and ignored; were
            // it read, its one message would be skipped all the same (the sender is the placeholder PHONE_NUMBER)
            entry("webhook-request.json", at(OURS, nothing())));

    /** This module's own notifications, for the test's instance. */
    private static final Map<String, Expected> OWN = Map.ofEntries(
            entry("text-reply-with-context.json", reply("wamid.PATIENT-IN-1", PATIENT, "wamid.HUB-OUT-1", "1", null,
                    1767261600)),
            entry("button-reply-confirm.json", reply("wamid.PATIENT-IN-2", PATIENT, "wamid.HUB-OUT-2", null,
                    "CONFIRM", 1767261700)),
            entry("interactive-button-reply.json", reply("wamid.PATIENT-IN-3", PATIENT, "wamid.HUB-OUT-3", null,
                    "RESCHEDULE", 1767261800)),
            entry("image-message.json", reply("wamid.PATIENT-IN-4", PATIENT, null, null, null, 1767261900)),
            entry("status-sent.json", status("wamid.HUB-OUT-1", DeliveryStatus.SENT, 1767261601, null, null)),
            entry("status-delivered.json", status("wamid.HUB-OUT-1", DeliveryStatus.DELIVERED, 1767261602, null,
                    null)),
            entry("status-read.json", status("wamid.HUB-OUT-1", DeliveryStatus.READ, 1767261660, null, null)),
            entry("status-failed-131026.json", status("wamid.HUB-OUT-5", DeliveryStatus.FAILED, 1767262000, "131026",
                    "Message undeliverable")),
            entry("status-deleted-is-ignored.json", nothing()),
            entry("batch-of-two-entries.json", new Expected(200, List.of(
                    statusUpdate("wamid.HUB-OUT-6", DeliveryStatus.DELIVERED, 1767262200, null, null),
                    statusUpdate("wamid.HUB-OUT-6", DeliveryStatus.READ, 1767262260, null, null)),
                    List.of(new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.PATIENT-IN-6", PATIENT, null,
                            "não posso ir", null, Instant.ofEpochSecond(1767262201))))),
            // the first status is fine, the second has no id: the second is skipped, the first reported
            entry("batch-with-a-status-without-id.json", status("wamid.HUB-OUT-7", DeliveryStatus.DELIVERED,
                    1767262400, null, null)),
            // the first message's sender is a username, not a phone number: skipped; the status and the second
            // message are reported
            entry("message-from-a-username.json", new Expected(200, List.of(
                    statusUpdate("wamid.HUB-OUT-8", DeliveryStatus.DELIVERED, 1767262500, null, null)),
                    List.of(new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.PATIENT-IN-9", PATIENT,
                            "wamid.HUB-OUT-8", null, "CONFIRM", Instant.ofEpochSecond(1767262520))))),
            // two changes of one entry, the second for another number of the same app: only the first is reported
            entry("two-phone-numbers.json", new Expected(200, List.of(
                    statusUpdate("wamid.HUB-OUT-10", DeliveryStatus.READ, 1767262600, null, null)),
                    List.of(new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.PATIENT-IN-10", PATIENT,
                            "wamid.HUB-OUT-10", "ok", null, Instant.ofEpochSecond(1767262601))))),
            entry("malformed-truncated.json", refused()),
            entry("malformed-not-whatsapp.json", refused()),
            // a WhatsApp object, but entry is not an array: not a notification
            entry("malformed-entry-not-an-array.json", refused()));

    @TempDir
    static Path work;
    private GraphStandIn graph;
    private KitHub hub;
    private String hubNumber;
    private int hubs;
    private final Swappable events = new Swappable();

    @BeforeAll
    void start() throws Exception {
        graph = new GraphStandIn();
        url(OURS);
    }

    @AfterAll
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        graph.close();
    }

    /** The webhook of an instance of this phone number id, started now if the running one is of another. */
    private String url(String phoneNumberId) throws Exception {
        if (!phoneNumberId.equals(hubNumber)) {
            if (hub != null) {
                hub.close();
                hub = null;
            }
            Map<String, String> config = graph.config();
            config.put("phone-number-id", phoneNumberId);
            hub = KitHub.start(new WithEvents(new WhatsAppConnector(), events), config, false,
                    work.resolve("hub-" + ++hubs));
            hubNumber = phoneNumberId;
        }
        return hub.httpUrl() + "/webhooks/whatsapp/" + KitHub.INSTANCE;
    }

    @TestFactory
    Stream<DynamicTest> theSharedSamples() throws Exception {
        return samples(shared(), SHARED, false);
    }

    /** Meta sends the notifications of every number of an app to one callback URL: not this instance's, not told. */
    @TestFactory
    Stream<DynamicTest> theSharedSamplesAtAnInstanceOfAnotherNumber() throws Exception {
        Map<String, Sample> another = new HashMap<>();
        SHARED.forEach((file, sample) -> another.put(file, at(OURS, sample.expected().status() == 400 ? refused()
                : nothing())));
        return samples(shared(), another, false);
    }

    @TestFactory
    Stream<DynamicTest> theModulesOwnPayloads() throws Exception {
        Map<String, Sample> own = new HashMap<>();
        OWN.forEach((file, expected) -> own.put(file, at(OURS, expected)));
        return samples(Path.of(getClass().getResource("/whatsapp").toURI()), own, true);
    }

    @Test
    void everyOwnPayloadHasItsExpectationAndEveryExpectationItsFile() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/whatsapp").toURI()))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(OWN.keySet());
        }
    }

    private static Path shared() {
        Path dir = sharedSamples();
        assumeTrue(dir != null, "shared/fixtures/remote-apis/whatsapp not found (set PONTE_SHARED to the shared "
                + "folder, or put it beside the repository): the public samples are not tested, this module's own "
                + "are");
        return dir;
    }

    /** Each file posted to an instance of its number (ours when it has no expectation), grouped by number. */
    private Stream<DynamicTest> samples(Path dir, Map<String, Sample> expectations, boolean strict)
            throws Exception {
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.comparing((Path p) ->
                    numberOf(expectations.get(p.getFileName().toString()))).thenComparing(Path::getFileName)).toList();
        }
        assertThat(files).as("JSON files in " + dir).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Sample sample = expectations.get(f.getFileName().toString());
            assertThat(sample != null || !strict).as("an expectation for " + f.getFileName()).isTrue();
            String url = url(numberOf(sample));
            RecordingMessageEvents recorded = new RecordingMessageEvents();
            events.target = recorded;
            HttpResponse<String> r = Meta.postSigned(url, Files.readAllBytes(f));
            if (sample == null) { // a sample added after these tests: at least answered cleanly
                assertThat(r.statusCode()).as("answer to " + f.getFileName()).isIn(200, 400);
                if (r.statusCode() == 400) {
                    assertThat(recorded.statuses()).isEmpty();
                    assertThat(recorded.replies()).isEmpty();
                }
                return;
            }
            Expected expected = sample.expected();
            assertThat(r.statusCode()).as("answer to " + f.getFileName()).isEqualTo(expected.status());
            assertThat(recorded.statuses()).as("statuses reported").containsExactlyElementsOf(expected.statuses());
            assertThat(recorded.replies()).as("replies reported").containsExactlyElementsOf(expected.replies());
        }));
    }

    private static String numberOf(Sample sample) {
        return sample == null ? OURS : sample.phoneNumberId();
    }

    /** {@code $PONTE_SHARED/fixtures/remote-apis/whatsapp}, else {@code shared/…} beside a folder above this one. */
    static Path sharedSamples() {
        String env = System.getenv("PONTE_SHARED");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env, "fixtures", "remote-apis", "whatsapp");
            return Files.isDirectory(p) ? p : null;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("fixtures").resolve("remote-apis").resolve("whatsapp");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    // ---- expectations ---------------------------------------------------------------------------------------

    record Expected(int status, List<MessageEvents.StatusUpdate> statuses, List<MessageEvents.PatientReply> replies) {
    }

    /** A file posted to an instance whose {@code phone-number-id} is {@code phoneNumberId}. */
    record Sample(String phoneNumberId, Expected expected) {
    }

    private static Sample at(String phoneNumberId, Expected expected) {
        return new Sample(phoneNumberId, expected);
    }

    private static Expected refused() {
        return new Expected(400, List.of(), List.of());
    }

    /** Answered 200, nothing reported. */
    private static Expected nothing() {
        return new Expected(200, List.of(), List.of());
    }

    private static Expected reply(String id, String from, String inReplyTo, String text, String button, long at) {
        return new Expected(200, List.of(), List.of(new MessageEvents.PatientReply(KitHub.INSTANCE, id, from,
                inReplyTo, text, button, Instant.ofEpochSecond(at))));
    }

    private static Expected status(String id, DeliveryStatus s, long at, String code, String title) {
        return new Expected(200, List.of(statusUpdate(id, s, at, code, title)), List.of());
    }

    private static MessageEvents.StatusUpdate statusUpdate(String id, DeliveryStatus s, long at, String code,
                                                           String title) {
        return new MessageEvents.StatusUpdate(KitHub.INSTANCE, id, s, Instant.ofEpochSecond(at), code, title);
    }

    // ---- a fresh recorder per file --------------------------------------------------------------------------

    /** Passes every call to the recorder of the current file. */
    private static final class Swappable implements MessageEvents {
        volatile MessageEvents target = new RecordingMessageEvents();

        @Override
        public boolean status(StatusUpdate update) {
            return target.status(update);
        }

        @Override
        public Intent reply(PatientReply reply) {
            return target.reply(reply);
        }
    }

    /** The connector, opened with {@code events} as its context's message events. */
    private record WithEvents(Connector connector, MessageEvents events) implements Connector {
        @Override
        public ConnectorDescriptor descriptor() {
            return connector.descriptor();
        }

        @Override
        public ConnectorInstance open(ConnectorContext c) {
            return connector.open(new ConnectorContext(c.config(), c.dataDir(), c.inbound(), c.state(), c.imports(),
                    c.audit(), c.mappings(), c.sandbox(), c.clock(), c.webhooks(), events));
        }
    }
}
