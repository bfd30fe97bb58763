package dev.ponte.messaging;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.json.Json;
import dev.ponte.model.Channel;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.InboundSender;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.Sink;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The messaging core against a real (embedded H2) store, with a clock the test moves: reminders scheduled, moved,
 * cancelled, sent once when due, deferred by the quiet hours, blocked without consent, moved to the next channel,
 * and replies that confirm an appointment once.
 */
@Tag("store")
class MessagingScenariosTest {

    /** A clock the test sets; nothing waits. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @TempDir
    Path dir;
    private Database db;
    // Wednesday 2026-12-02 10:00 in São Paulo (13:00 UTC)
    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T13:00:00Z"));
    private final List<ExternalChange> changes = new ArrayList<>();
    private Messaging messaging;

    @BeforeEach
    void open() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("reminder.pt-BR.yaml"), """
                purpose: reminder
                text: "Olá, {{Patient.name|first}}! {{Appointment.start|date}} às {{Appointment.start|time}}."
                whatsapp: {name: ponte_lembrete, language: pt_BR, parameters: ["{{Patient.name|first}}"], buttons: [CONFIRM, CANCEL]}
                """);
        Files.writeString(templates.resolve("reply-confirmed.pt-BR.yaml"), "purpose: confirmation\ntext: Confirmado.\n");
        Files.writeString(templates.resolve("reply-cancelled.pt-BR.yaml"), "purpose: confirmation\ntext: Cancelado.\n");
        MessagingSettings settings = MessagingSettings.from(Map.of("ponte.messaging.channels", "whatsapp,sms"))
                .withConnectors(Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms"));
        InboundSender inbound = new InboundSender() {
            @Override
            public void send(InboundChunk chunk) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void send(ExternalChange change) {
                changes.add(change);
            }
        };
        messaging = new Messaging(db, settings, new TemplateLoader(Glossary.load(java.nio.file.Path.of("../mappings/glossary.yaml"))).loadFolder(templates),
                clock, name -> inbound);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void patient(String id, String consents) {
        save("Patient", id, "{\"id\":\"" + id + "\",\"name\":\"Ana Souza\",\"mobilePhone\":\"+5511991214283\","
                + "\"email\":\"ana@example.com\",\"consents\":" + consents + "}");
    }

    private static String consent(String channel, boolean granted, String at) {
        return "{\"channel\":\"" + channel + "\",\"purpose\":\"REMINDERS\",\"granted\":" + granted
                + ",\"recordedAt\":\"" + at + "\"}";
    }

    private JsonNode appointment(String id, String start, String status) {
        String json = "{\"id\":\"" + id + "\",\"patientId\":\"p1\",\"procedureCode\":\"LIMP\",\"start\":\"" + start
                + "\",\"end\":\"" + start + "\",\"status\":\"" + status + "\"}";
        save("Appointment", id, json);
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void save(String type, String id, String json) {
        db.inTransaction(c -> {
            CanonicalStore.save(c, type, id, json, dev.ponte.store.Hashes.sha256(json), clock.instant());
            return null;
        });
    }

    private int changed(String id, JsonNode appointment) {
        return db.inTransaction(c -> messaging.appointmentChanged(c, id, appointment));
    }

    private List<Messages.StoredMessage> reminders(String appointmentId) {
        return db.read(c -> Messages.byAppointment(c, appointmentId));
    }

    private List<MessageDispatcher.Addressed> dispatch() {
        return messaging.dispatcher().dispatchDue();
    }

    private void delivered(MessageDispatcher.Addressed a, String wamid) {
        db.inTransaction(c -> {
            messaging.outcomes().delivered(c, a.connector(), a.command(), new Sink.Delivery(wamid, "template sent"),
                    clock.instant());
            return null;
        });
    }

    private java.util.Optional<Messages.StoredMessage> byKey(String key) {
        return db.read(c -> Messages.byKey(c, key));
    }

    private List<Messages.Step> steps(String id) {
        return db.read(c -> Messages.steps(c, id));
    }

    private boolean refused(String instance, MessageDispatcher.Addressed a, String reason) {
        return db.inTransaction(c -> messaging.outcomes().refused(c, instance, a.command(), reason, clock.instant()));
    }

    @Test
    void anAppointmentGetsTwoRemindersEachSentOnceWhenDueEvenWhenItsEventComesAgain() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        // Friday 2026-12-04 15:00 São Paulo
        JsonNode a = appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED");
        assertThat(changed("a1", a)).isEqualTo(2);
        assertThat(changed("a1", a)).as("the same event again").isZero();
        assertThat(reminders("a1")).extracting(Messages.StoredMessage::businessKey)
                .containsExactlyInAnyOrder("reminder:a1:48h", "reminder:a1:2h");
        assertThat(dispatch()).as("nothing due yet").isEmpty();

        clock.now = Instant.parse("2026-12-02T18:00:00Z"); // 48 h before, 15:00 São Paulo
        List<MessageDispatcher.Addressed> first = dispatch();
        assertThat(first).hasSize(1);
        OutboundMessage m = OutboundMessage.of(first.get(0).command());
        assertThat(first.get(0).connector()).isEqualTo("wa");
        assertThat(m.recipient()).isEqualTo("+5511991214283");
        assertThat(m.text()).isEqualTo("Olá, Ana! 04/12/2026 às 15:00.");
        assertThat(m.template().parameters()).containsExactly("Ana");
        assertThat(dispatch()).as("handed once").isEmpty();
        delivered(first.get(0), "wamid.1");
        boolean again = db.inTransaction(c -> messaging.outcomes().stillWanted(c, "wa", first.get(0).command(),
                clock.instant()));
        assertThat(again).as("the same command redelivered after it was sent is not sent again").isFalse();
        assertThat(changed("a1", a)).as("the event once more, after sending").isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(dispatch()).isEmpty();

        clock.now = Instant.parse("2026-12-04T16:00:00Z"); // 2 h before
        List<MessageDispatcher.Addressed> second = dispatch();
        assertThat(second).hasSize(1);
        assertThat(second.get(0).command().correlationId()).isEqualTo("reminder:a1:2h");
        assertThat(reminders("a1")).extracting(Messages.StoredMessage::status)
                .containsExactlyInAnyOrder(MessageStatus.SENT, MessageStatus.QUEUED);
    }

    @Test
    void withoutConsentTheReminderIsBlockedWithItsReasonAndNothingIsSent() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + ","
                + consent("WHATSAPP", false, "2026-11-20T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        assertThat(dispatch()).isEmpty();
        Messages.StoredMessage m = db.read(c -> Messages.byKey(c, "reminder:a1:48h")).orElseThrow();
        assertThat(m.status()).isEqualTo(MessageStatus.BLOCKED);
        assertThat(m.reason()).contains("no consent for REMINDERS").contains("revoked or refused on [WHATSAPP]");
        assertThat(steps(m.id())).extracting(Messages.Step::outcome).contains("BLOCKED");
    }

    @Test
    void dueInTheQuietHoursItGoesAtTheNextAllowedTime() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        // Monday 09:00 São Paulo appointment: the 2 h reminder falls at 07:00, inside 20:00–08:00
        changed("a1", appointment("a1", "2026-12-07T09:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-07T10:00:00Z"); // 07:00 São Paulo
        db.inTransaction(c -> { // the 48 h one (Saturday 09:00) is not what this test is about
            Messages.byKey(c, "reminder:a1:48h").ifPresent(m -> {
                try {
                    Messages.update(c, m.with(MessageStatus.CANCELLED, "test", clock.instant()));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            return null;
        });
        assertThat(dispatch()).isEmpty();
        Messages.StoredMessage deferred = db.read(c -> Messages.byKey(c, "reminder:a1:2h")).orElseThrow();
        assertThat(deferred.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(deferred.dueAt()).isEqualTo(Instant.parse("2026-12-07T11:00:00Z")); // 08:00 São Paulo
        assertThat(deferred.reason()).contains("quiet hours");
        clock.now = Instant.parse("2026-12-07T10:59:59Z");
        assertThat(dispatch()).isEmpty();
        clock.now = Instant.parse("2026-12-07T11:00:00Z");
        assertThat(dispatch()).hasSize(1);
    }

    @Test
    void aPermanentFailureMovesTheMessageToTheNextConsentedChannelStepByStep() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + ","
                + consent("SMS", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        MessageDispatcher.Addressed wa = dispatch().get(0);
        assertThat(wa.connector()).isEqualTo("wa");
        assertThat(refused("wa", wa, "WhatsApp error 131026: message undeliverable")).isTrue();
        MessageDispatcher.Addressed sms = dispatch().get(0);
        assertThat(sms.connector()).isEqualTo("sms");
        assertThat(OutboundMessage.of(sms.command()).template()).isNull();
        assertThat(refused("sms", sms, "no route")).isTrue();
        assertThat(dispatch()).isEmpty();
        Messages.StoredMessage m = db.read(c -> Messages.byKey(c, "reminder:a1:48h")).orElseThrow();
        assertThat(m.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(m.reason()).contains("every consented channel failed");
        assertThat(steps(m.id())).extracting(s -> s.step() + ":" + s.outcome() + ":"
                + s.channel()).containsSubsequence("channel:QUEUED:WHATSAPP", "channel:FAILED:WHATSAPP",
                "channel:QUEUED:SMS", "channel:FAILED:SMS", "channel:EXHAUSTED:null");
    }

    @Test
    void aMovedAppointmentMovesItsRemindersAndACancelledOneCancelsThem() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        changed("a1", appointment("a1", "2026-12-05T10:00:00-03:00", "SCHEDULED"));
        assertThat(db.read(c -> Messages.byKey(c, "reminder:a1:2h")).orElseThrow().scheduledFor())
                .isEqualTo(Instant.parse("2026-12-05T11:00:00Z"));
        changed("a1", appointment("a1", "2026-12-05T10:00:00-03:00", "CANCELLED"));
        assertThat(reminders("a1")).extracting(Messages.StoredMessage::status)
                .containsOnly(MessageStatus.CANCELLED);
        clock.now = Instant.parse("2026-12-05T12:00:00Z");
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void aRevokedConsentCancelsPendingMessages() throws Exception {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + ","
                + consent("WHATSAPP", false, "2026-12-02T12:00:00Z") + "]");
        JsonNode p = Json.MAPPER.readTree(db.read(c -> CanonicalStore.payload(c, "Patient", "p1")).orElseThrow());
        int cancelled = db.inTransaction(c -> messaging.patientChanged(c, "p1", p));
        assertThat(cancelled).isEqualTo(2);
        assertThat(reminders("a1")).extracting(Messages.StoredMessage::reason).containsOnly("consent for REMINDERS revoked");
    }

    @Test
    void aConfirmingReplyChangesTheAppointmentOnceAndSchedulesTheAnswer() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        delivered(dispatch().get(0), "wamid.1");
        MessageEvents events = messaging.events();
        assertThat(events.status(new MessageEvents.StatusUpdate("wa", "wamid.1", MessageEvents.DeliveryStatus.READ,
                clock.instant(), null, null))).isTrue();
        assertThat(events.status(new MessageEvents.StatusUpdate("wa", "wamid.1",
                MessageEvents.DeliveryStatus.DELIVERED, clock.instant(), null, null))).as("never backwards").isFalse();
        MessageEvents.PatientReply one = new MessageEvents.PatientReply("wa", "wamid.in1", "+5511991214283",
                "wamid.1", "1", null, clock.instant());
        assertThat(events.reply(one)).isEqualTo(MessageEvents.Intent.CONFIRM);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).canonicalId()).isEqualTo("a1");
        assertThat(changes.get(0).fields().path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(changes.get(0).correlationId()).isEqualTo("reply:wamid.in1");
        assertThat(byKey("reply:wamid.in1")).as("no answer before the change took").isEmpty();
        // the provider's retry before the change was applied sends the same change again (applying it twice
        // changes nothing)
        assertThat(events.reply(one)).isEqualTo(MessageEvents.Intent.DUPLICATE);
        assertThat(changes).hasSize(2);
        // the inbound pipeline applied it; the reminder flow sees the event and schedules the answer, once
        JsonNode confirmed = appointment("a1", "2026-12-04T15:00:00-03:00", "CONFIRMED");
        boolean first = db.inTransaction(c -> messaging.replyApplied(c, "reply:wamid.in1", "a1", confirmed));
        boolean second = db.inTransaction(c -> messaging.replyApplied(c, "reply:wamid.in1", "a1", confirmed));
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(db.read(c -> Messages.byKey(c, "reply:wamid.in1")).orElseThrow().template())
                .isEqualTo("reply-confirmed");
        assertThat(events.reply(one)).isEqualTo(MessageEvents.Intent.DUPLICATE);
        assertThat(changes).as("handled: not sent again").hasSize(2);
        // the Confirm button of the same reminder afterwards: already CONFIRMED, nothing changes, no second answer
        assertThat(events.reply(new MessageEvents.PatientReply("wa", "wamid.in1b", "+5511991214283", "wamid.1",
                null, "CONFIRM", clock.instant()))).isEqualTo(MessageEvents.Intent.CONFIRM);
        assertThat(changes).hasSize(2);
        assertThat(db.read(c -> Messages.reply(c, "wamid.in1b")).orElseThrow().handled()).isEqualTo("already CONFIRMED");
        assertThat(events.reply(new MessageEvents.PatientReply("wa", "wamid.in2", "+5511991214283", null,
                "posso levar minha filha?", null, clock.instant()))).isEqualTo(MessageEvents.Intent.UNKNOWN);
        assertThat(changes).hasSize(2);
        List<Messages.Reply> unknown = db.read(c -> Messages.replies(c, "UNKNOWN", 10));
        assertThat(unknown).hasSize(1);
    }

    @Test
    void aBareReplyActsOnlyWhenOneFutureAppointmentCanBeMeantAndOnlyIfItCanStillChangeThatWay() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        delivered(dispatch().get(0), "wamid.1");
        MessageEvents events = messaging.events();
        // WhatsApp reports the number without the ninth digit: still the same patient
        assertThat(events.reply(new MessageEvents.PatientReply("wa", "in-1", "+551191214283", null, "2", null,
                clock.instant()))).isEqualTo(MessageEvents.Intent.CANCEL);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).fields().path("status").asText()).isEqualTo("CANCELLED");

        // a second appointment of the same number gets its reminder too: a bare "1" is now ambiguous
        appointment("a1", "2026-12-04T15:00:00-03:00", "CANCELLED");
        changed("a2", appointment("a2", "2026-12-04T17:00:00-03:00", "SCHEDULED"));
        changed("a3", appointment("a3", "2026-12-04T18:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T21:00:00Z");
        dispatch().forEach(a -> delivered(a, "wamid." + a.command().canonicalId()));
        assertThat(events.reply(new MessageEvents.PatientReply("wa", "in-2", "+5511991214283", null, "1", null,
                clock.instant()))).isEqualTo(MessageEvents.Intent.CONFIRM);
        assertThat(changes).as("two future appointments: for a person").hasSize(1);
        Messages.Reply r = db.read(c -> Messages.reply(c, "in-2")).orElseThrow();
        assertThat(r.handled()).contains("for a person").contains("2 future appointments");

        // the Confirm button of the old reminder of the cancelled appointment does not revive it
        Messages.StoredMessage old = db.read(c -> Messages.byKey(c, "reminder:a1:48h")).orElseThrow();
        assertThat(events.reply(new MessageEvents.PatientReply("wa", "in-3", "+5511991214283", old.externalId(),
                null, "CONFIRM", clock.instant()))).isEqualTo(MessageEvents.Intent.CONFIRM);
        assertThat(changes).hasSize(1);
        assertThat(db.read(c -> Messages.reply(c, "in-3")).orElseThrow().handled())
                .isEqualTo("for a person: the appointment is CANCELLED");
    }

    @Test
    void aStatusFasterThanTheSinksCommitIsAppliedWhenTheProviderIdIsRecorded() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + ","
                + consent("SMS", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        MessageDispatcher.Addressed a = dispatch().get(0);
        // Meta's webhook: accepted, then failed (131026), before the sink recorded wamid.9
        MessageEvents events = messaging.events();
        assertThat(events.status(new MessageEvents.StatusUpdate("wa", "wamid.9", MessageEvents.DeliveryStatus.SENT,
                clock.instant(), null, null))).isFalse();
        assertThat(events.status(new MessageEvents.StatusUpdate("wa", "wamid.9",
                MessageEvents.DeliveryStatus.FAILED, clock.instant(), "131026", "Message undeliverable"))).isFalse();
        delivered(a, "wamid.9");
        Messages.StoredMessage m = db.read(c -> Messages.byKey(c, "reminder:a1:48h")).orElseThrow();
        assertThat(m.status()).as("the early FAILED moved it on").isEqualTo(MessageStatus.SCHEDULED);
        assertThat(m.reason()).contains("131026");
        assertThat(dispatch().get(0).connector()).isEqualTo("sms");
    }

    @Test
    void aQueuedMessageIsCheckedAgainJustBeforeItsSinkSendsIt() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        MessageDispatcher.Addressed a = dispatch().get(0);
        boolean wanted = db.inTransaction(c -> messaging.outcomes().stillWanted(c, "wa", a.command(),
                clock.instant()));
        assertThat(wanted).isTrue();
        // it waited on the queue until the quiet hours (20:00 São Paulo) began: deferred, not sent
        MessagingSettings quiet = MessagingSettings.from(Map.of("ponte.messaging.channels", "whatsapp"))
                .withConnectors(Map.of(Channel.WHATSAPP, "wa"));
        Messaging withQuiet = new Messaging(db, quiet, messaging.templates(), clock, name -> null);
        clock.now = Instant.parse("2026-12-02T23:30:00Z");
        boolean late = db.inTransaction(c -> withQuiet.outcomes().stillWanted(c, "wa", a.command(), clock.instant()));
        assertThat(late).isFalse();
        Messages.StoredMessage m = db.read(c -> Messages.byKey(c, "reminder:a1:48h")).orElseThrow();
        assertThat(m.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(m.dueAt()).isEqualTo(Instant.parse("2026-12-03T11:00:00Z"));
        assertThat(m.tried()).as("that attempt did not happen").isEmpty();
        boolean stale = db.inTransaction(c -> withQuiet.outcomes().stillWanted(c, "wa", a.command(),
                clock.instant()));
        assertThat(stale).as("the old command is stale now").isFalse();
    }

    @Test
    void aSentReminderOfAMovedAppointmentGetsANewOneForTheNewTimeOnce() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + "]");
        changed("a1", appointment("a1", "2026-12-04T15:00:00-03:00", "SCHEDULED"));
        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        delivered(dispatch().get(0), "wamid.1");
        JsonNode moved = appointment("a1", "2026-12-08T10:00:00-03:00", "SCHEDULED");
        changed("a1", moved);
        changed("a1", moved);
        assertThat(reminders("a1")).extracting(Messages.StoredMessage::businessKey)
                .containsExactlyInAnyOrder("reminder:a1:48h", "reminder:a1:48h#2", "reminder:a1:2h");
        assertThat(db.read(c -> Messages.byKey(c, "reminder:a1:48h#2")).orElseThrow().scheduledFor())
                .isEqualTo(Instant.parse("2026-12-06T13:00:00Z"));
    }

    @Test
    void theCadenceCountsMessagesOnTheirWayAndARefusalWinsATie() {
        patient("p1", "[" + consent("WHATSAPP", true, "2026-11-01T00:00:00Z") + ","
                + "{\"channel\":\"WHATSAPP\",\"purpose\":\"MARKETING\",\"granted\":true},"
                + "{\"channel\":\"SMS\",\"purpose\":\"MARKETING\",\"granted\":true,\"recordedAt\":\"2026-11-01T00:00:00Z\"},"
                + "{\"channel\":\"SMS\",\"purpose\":\"MARKETING\",\"granted\":false,\"recordedAt\":\"2026-11-01T00:00:00Z\"}]");
        Instant due = clock.instant();
        db.inTransaction(c -> {
            for (int i = 1; i <= 3; i++) {
                Messages.insert(c, new Messages.StoredMessage("r" + i, "recall:p1:" + i, "p1", null, "recall",
                        "reminder", MessageStatus.SCHEDULED, null, null, null, List.of(), due, due, null, null, null,
                        null, due));
            }
            return null;
        });
        JsonNode p = db.read(c -> MessageDispatcher.read(c, "Patient", "p1")).orElseThrow();
        assertThat(MessagePolicy.consents(p, MessagePurpose.RECALL)).containsEntry(Channel.SMS, false)
                .containsEntry(Channel.WHATSAPP, true);
        // three recalls due at once, at most 2 a week: two go, the third waits for the window
        List<MessageDispatcher.Addressed> sent = dispatch();
        assertThat(sent).hasSize(2);
        Messages.StoredMessage third = db.read(c -> Messages.byKey(c, "recall:p1:3")).orElseThrow();
        assertThat(third.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(third.dueAt()).isEqualTo(due.plus(Duration.ofDays(7)));
    }

    @Test
    void anAuthorizedInvoiceSendsThePatientItsReceiptOnceWhereBillingMessagesAreConsented() throws Exception {
        String key = "35503082212345678000195000000000004226031234567890";
        String invoice = "{\"id\":\"i1\",\"kind\":\"NFSE\",\"chargeId\":\"c1\",\"number\":\"7\","
                + "\"series\":\"1\",\"status\":\"AUTHORIZED\",\"amount\":180.00,\"accessKey\":\"" + key + "\"}";
        save("Patient", "p1", "{\"id\":\"p1\",\"name\":\"Ana Souza\",\"mobilePhone\":\"+5511991214283\","
                + "\"consents\":[{\"channel\":\"WHATSAPP\",\"purpose\":\"BILLING\",\"granted\":true,"
                + "\"recordedAt\":\"2026-11-01T00:00:00Z\"}]}");
        save("Charge", "c1", "{\"id\":\"c1\",\"patientId\":\"p1\",\"dueDate\":\"2026-12-01\",\"amount\":180.00,"
                + "\"status\":\"PAID\"}");
        save("Invoice", "i1", invoice);
        JsonNode authorized = Json.MAPPER.readTree(invoice);
        int none = db.inTransaction(c -> messaging.invoiceChanged(c, "i1", authorized));
        assertThat(none).as("no template yet: no receipt").isZero();

        Path templates = dir.resolve("templates");
        Files.copy(Path.of("../mappings/templates/invoice-authorized.pt-BR.yaml"), templates.resolve(
                "invoice-authorized.pt-BR.yaml"));
        MessagingSettings settings = MessagingSettings.from(Map.of("ponte.messaging.channels", "whatsapp,sms"))
                .withConnectors(Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms"));
        Messaging withReceipts = new Messaging(db, settings, new TemplateLoader(Glossary.load(Path.of(
                "../mappings/glossary.yaml"))).loadFolder(templates), clock, name -> null);
        JsonNode pending = Json.MAPPER.readTree(invoice.replace("AUTHORIZED", "PENDING"));
        int early = db.inTransaction(c -> withReceipts.invoiceChanged(c, "i1", pending));
        assertThat(early).as("not authorized yet").isZero();
        int first = db.inTransaction(c -> withReceipts.invoiceChanged(c, "i1", authorized));
        int second = db.inTransaction(c -> withReceipts.invoiceChanged(c, "i1", authorized));
        assertThat(first).isEqualTo(1);
        assertThat(second).as("once").isZero();

        List<MessageDispatcher.Addressed> due = withReceipts.dispatcher().dispatchDue();
        assertThat(due).hasSize(1);
        OutboundMessage m = OutboundMessage.of(due.get(0).command());
        assertThat(due.get(0).connector()).as("the channel with the BILLING consent").isEqualTo("wa");
        assertThat(m.text()).startsWith("Olá, Ana! A nota fiscal do seu atendimento foi emitida. Chave de acesso: "
                + key + ".");
        assertThat(m.template().name()).isEqualTo("ponte_nota_emitida");
        assertThat(m.template().parameters()).containsExactly("Ana", key);
        assertThat(byKey("receipt:i1").orElseThrow().purpose()).isEqualTo("receipt");
    }
}
