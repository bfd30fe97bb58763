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
 * the same paths. Each file's expected answer and reports are below; a body that is not a notification is refused
 * with 400 and nothing of it is reported. The samples reuse message ids across files, so each file is reported to a
 * fresh {@link RecordingMessageEvents} (the kit's would count a reused id as a provider's retry).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookPayloadsIT {

    private static final String X = "wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==";
    private static final String SAMPLE_SENDER = "+1111111111111";
    private static final String PATIENT = "+5511987654321";

    /** The public samples: what each one is (SOURCES.md) and what the hub must be told. */
    private static final Map<String, Expected> SHARED = Map.ofEntries(
            entry("buttonMessage.json", reply(X, SAMPLE_SENDER, X, null, "SIM", 1673023653)),
            entry("documentMessage.json", reply("wamid.HBgABIYNNTUyxMEFFk5NzATY2QT0TY2QT0zMDkzNhUCFDNFQjBFMNzARjFDQQ1AA"
                    + "==", SAMPLE_SENDER, null, null, null, 1673034392)),
            entry("imageMessage.json", reply("wamid.HBgODE0NDQwANNTTBGRjkUyNzkzNhUCABIYFDNF5NzAzMDkQjBEQ3NjdBA==",
                    SAMPLE_SENDER, null, null, null, 1673032525)),
            entry("locationMessage.json", reply("wamid.HBgNNVENjUTzk5NzAzMUyNDkzIYFDNBMERNhUCABBMkYzNjhFQzzNEUwAA==",
                    SAMPLE_SENDER, null, null, null, 1673641462)),
            entry("mediaUploadError.json", status("wamid.HBgNNTUyNzk5NzAUZBQTI3MzRGRDA3MjgzMDkzNhUCABEYEjNCR2OQA=",
                    DeliveryStatus.FAILED, 1677783372, "131053", "Media upload error")),
            // type unsupported (the patient sent or deleted something Meta cannot show): recorded for a person
            entry("messageDeleted.json", reply(X, SAMPLE_SENDER, null, null, null, 1673026174)),
            entry("reEngagementMessageError.json", status("wamid.HBgNN5NzAzMDkTUyNzkzNhUEjA1MjUwNCAUIyNEYUQ0OTVGNT"
                    + "Y0MwA=", DeliveryStatus.FAILED, 1682651887, "131047", "Re-engagement message")),
            entry("reactMessage.json", reply(X, SAMPLE_SENDER, null, null, null, 1673026587)),
            entry("textMessage.json", reply(X, SAMPLE_SENDER, null, "hi everyone!", null, 1672947578)),
            entry("textMessage2.json", reply(X, "+409552778964973", null, "Good afternoon", null, 1673020315)),
            entry("textMessageStatusDelivered.json", status(X, DeliveryStatus.DELIVERED, 1673020317, null, null)),
            // a stray { after the document, as published: not one JSON document
            entry("textMessageStatusRead.json", refused()),
            entry("textMessageStatusSent.json", status(X, DeliveryStatus.SENT, 1673020317, null, null)),
            // Meta's documentation template: the sender is the placeholder PHONE_NUMBER, not a phone number
            entry("webhook-request.json", refused()));

    /** This module's own notifications. */
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
            entry("status-deleted-is-ignored.json", new Expected(200, List.of(), List.of())),
            entry("batch-of-two-entries.json", new Expected(200, List.of(
                    statusUpdate("wamid.HUB-OUT-6", DeliveryStatus.DELIVERED, 1767262200, null, null),
                    statusUpdate("wamid.HUB-OUT-6", DeliveryStatus.READ, 1767262260, null, null)),
                    List.of(new MessageEvents.PatientReply(KitHub.INSTANCE, "wamid.PATIENT-IN-6", PATIENT, null,
                            "não posso ir", null, Instant.ofEpochSecond(1767262201))))),
            entry("malformed-truncated.json", refused()),
            // the first status is fine, the second has no id: all or nothing
            entry("malformed-status-without-id.json", refused()),
            entry("malformed-not-whatsapp.json", refused()));

    @TempDir
    static Path work;
    private GraphStandIn graph;
    private KitHub hub;
    private final Swappable events = new Swappable();

    @BeforeAll
    void start() throws Exception {
        graph = new GraphStandIn();
        hub = KitHub.start(new WithEvents(new WhatsAppConnector(), events), graph.config(), false,
                work.resolve("hub"));
    }

    @AfterAll
    void stop() throws Exception {
        hub.close();
        graph.close();
    }

    @TestFactory
    Stream<DynamicTest> theSharedSamples() throws Exception {
        Path dir = sharedSamples();
        assumeTrue(dir != null, "shared/fixtures/remote-apis/whatsapp not found (set PONTE_SHARED to the shared "
                + "folder, or put it beside the repository): the public samples are not tested, this module's own "
                + "are");
        return samples(dir, SHARED, false);
    }

    @TestFactory
    Stream<DynamicTest> theModulesOwnPayloads() throws Exception {
        return samples(Path.of(getClass().getResource("/whatsapp").toURI()), OWN, true);
    }

    @Test
    void everyOwnPayloadHasItsExpectationAndEveryExpectationItsFile() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/whatsapp").toURI()))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(OWN.keySet());
        }
    }

    private Stream<DynamicTest> samples(Path dir, Map<String, Expected> expectations, boolean strict)
            throws Exception {
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("JSON files in " + dir).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Expected expected = expectations.get(f.getFileName().toString());
            assertThat(expected != null || !strict).as("an expectation for " + f.getFileName()).isTrue();
            RecordingMessageEvents recorded = new RecordingMessageEvents();
            events.target = recorded;
            HttpResponse<String> r = Meta.postSigned(hub.httpUrl() + "/webhooks/whatsapp/" + KitHub.INSTANCE,
                    Files.readAllBytes(f));
            if (expected == null) { // a sample added after these tests: at least answered cleanly
                assertThat(r.statusCode()).as("answer to " + f.getFileName()).isIn(200, 400);
                if (r.statusCode() == 400) {
                    assertThat(recorded.statuses()).isEmpty();
                    assertThat(recorded.replies()).isEmpty();
                }
                return;
            }
            assertThat(r.statusCode()).as("answer to " + f.getFileName()).isEqualTo(expected.status());
            assertThat(recorded.statuses()).as("statuses reported").containsExactlyElementsOf(expected.statuses());
            assertThat(recorded.replies()).as("replies reported").containsExactlyElementsOf(expected.replies());
        }));
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

    private static Expected refused() {
        return new Expected(400, List.of(), List.of());
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
