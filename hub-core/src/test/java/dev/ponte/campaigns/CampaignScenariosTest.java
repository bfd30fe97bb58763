package dev.ponte.campaigns;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.glossary.Glossary;
import dev.ponte.messaging.MessageDispatcher;
import dev.ponte.messaging.MessagingSettings;
import dev.ponte.messaging.TemplateLoader;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.store.CampaignRuns;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Hashes;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Campaigns against a real (embedded H2) store and the real messaging core, with a clock the test moves: each
 * trigger selects the patients it should, consent withheld blocks with the reason, a second run does not resend,
 * the messaging core still decides each message when it is due (consent, channel order), and a booking after the
 * message is attributed to it.
 */
@Tag("store")
class CampaignScenariosTest {

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
    }

    static final ZoneId SP = ZoneId.of("America/Sao_Paulo");
    // Wednesday 2026-12-02 07:00 in São Paulo (10:00 UTC): before the window opens at 09:00
    final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));
    final LocalDate day = LocalDate.parse("2026-12-02");

    @TempDir
    Path dir;
    Database db;
    TemplateSet templates;
    MessagingSettings settings;
    CampaignLoader loader;

    @BeforeEach
    void open() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        Path t = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(t.resolve("recall.pt-BR.yaml"), "purpose: recall\ntext: \"Olá, {{Patient.name|first}}!\"\n");
        templates = new TemplateLoader(Glossary.load(Path.of("../mappings/glossary.yaml"))).loadFolder(t);
        settings = MessagingSettings.from(Map.of("ponte.messaging.channels", "whatsapp,sms"))
                .withConnectors(Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms"));
        loader = new CampaignLoader(templates, "pt-BR", Set.of("P003", "P004", "R001"));
        put("Procedure", "P003", "{\"code\":\"P003\",\"name\":\"Toxina\",\"kind\":\"SERVICE\"}");
        put("Procedure", "P004", "{\"code\":\"P004\",\"name\":\"Preenchimento\",\"kind\":\"SERVICE\"}");
        put("Procedure", "R001", "{\"code\":\"R001\",\"name\":\"Protetor\",\"kind\":\"PRODUCT\"}");
    }

    @AfterEach
    void close() {
        db.close();
    }

    void put(String entity, String id, String json) {
        put(entity, id, json, clock.instant());
    }

    void put(String entity, String id, String json, Instant at) {
        db.inTransaction(c -> {
            if (CanonicalStore.payload(c, entity, id).isPresent()) {
                CanonicalStore.save(c, entity, id, json, Hashes.sha256(json), at);
            } else {
                CanonicalStore.insert(c, entity, id, json, Hashes.sha256(json), at);
            }
            return null;
        });
    }

    /** A patient born on {@code born}, consenting (or not) to MARKETING on WhatsApp and SMS. */
    void patient(String id, String born, Boolean marketing) {
        String consents = marketing == null ? "[]" : "[{\"channel\":\"WHATSAPP\",\"purpose\":\"MARKETING\","
                + "\"granted\":" + marketing + ",\"recordedAt\":\"2026-01-01T00:00:00Z\"},{\"channel\":\"SMS\","
                + "\"purpose\":\"MARKETING\",\"granted\":" + marketing + ",\"recordedAt\":\"2026-01-01T00:00:00Z\"}]";
        put("Patient", id, "{\"id\":\"" + id + "\",\"name\":\"Ana Souza\",\"birthDate\":\"" + born + "\","
                + "\"sex\":\"FEMALE\",\"mobilePhone\":\"+5511991214283\",\"consents\":" + consents + "}");
    }

    int appointments;

    /** An appointment of the patient on a day, at 10:00 clinic time. */
    void appointment(String patient, String procedure, LocalDate on, String status, String enrollment) {
        String id = "a" + (++appointments);
        put("Appointment", id, "{\"id\":\"" + id + "\",\"patientId\":\"" + patient + "\",\"procedureCode\":\""
                + procedure + "\",\"start\":\"" + on + "T10:00:00-03:00\",\"end\":\"" + on + "T11:00:00-03:00\","
                + "\"status\":\"" + status + "\"" + (enrollment == null ? "" : ",\"enrollmentId\":\"" + enrollment
                + "\"") + "}");
    }

    Campaign campaign(String id, String trigger, String extra) throws Exception {
        return loader.loadFile(Files.writeString(dir.resolve(id + ".yaml"), "campaign: " + id + "\nversion: 1\n"
                + "trigger: " + trigger + "\ntemplate: recall\n" + extra));
    }

    List<Messages.StoredMessage> messages() {
        return db.read(c -> Messages.recent(c, List.of(), 100));
    }

    CampaignRun runner() {
        return new CampaignRun(settings, templates, clock);
    }

    static Set<String> with(CampaignRun.Plan plan, String outcome) {
        return plan.decisions().stream().filter(d -> d.outcome().equals(outcome))
                .map(CampaignRun.Decision::patientId).collect(Collectors.toSet());
    }

    static Map<String, String> reasons(CampaignRun.Plan plan) {
        return plan.decisions().stream().filter(d -> d.reason() != null)
                .collect(Collectors.toMap(CampaignRun.Decision::patientId, CampaignRun.Decision::reason));
    }

    @Test
    void daysAfterAProcedureSelectsThoseWhoseLastOneWasThatLongAgo() throws Exception {
        LocalDate due = day.minusDays(120);
        patient("p-due", "1990-05-01", true);
        appointment("p-due", "P003", due, "ATTENDED", null);
        patient("p-late", "1990-05-01", true); // due 5 days ago: within the catch-up days
        appointment("p-late", "P003", due.minusDays(5), "ATTENDED", null);
        patient("p-old", "1990-05-01", true); // due long ago
        appointment("p-old", "P003", due.minusDays(30), "ATTENDED", null);
        patient("p-again", "1990-05-01", true); // had it again since: not due yet
        appointment("p-again", "P003", due, "ATTENDED", null);
        appointment("p-again", "P003", day.minusDays(20), "ATTENDED", null);
        patient("p-other", "1990-05-01", true); // another procedure
        appointment("p-other", "P004", due, "ATTENDED", null);
        patient("p-missed", "1990-05-01", true); // booked but did not come
        appointment("p-missed", "P003", due, "NO_SHOW", null);
        patient("p-ahead", "1990-05-01", true); // already booked again
        appointment("p-ahead", "P003", due, "ATTENDED", null);
        appointment("p-ahead", "P004", day.plusDays(3), "SCHEDULED", null);
        patient("p-young", "2010-01-01", true);
        appointment("p-young", "P003", due, "ATTENDED", null);

        CampaignRun.Plan plan = runner().preview(db, campaign("retouch", "{days-after-procedure: {procedure: P003, "
                + "days: 120}}", "audience: {min-age: 18}\n"), day);
        assertThat(with(plan, CampaignRuns.SCHEDULED)).containsExactlyInAnyOrder("p-due", "p-late");
        assertThat(reasons(plan)).containsExactlyInAnyOrderEntriesOf(Map.of("p-ahead",
                CampaignAudience.FUTURE_APPOINTMENT, "p-young", CampaignAudience.MIN_AGE));
        // the window opens at 09:00 clinic time on this Wednesday
        assertThat(plan.dueAt()).isEqualTo(day.atTime(9, 0).atZone(SP).toInstant());
        assertThat(messages()).as("a preview writes nothing").isEmpty();

        // of a kind: the product bought 30 days ago
        patient("p-product", "1990-05-01", true);
        appointment("p-product", "R001", day.minusDays(30), "ATTENDED", null);
        CampaignRun.Plan products = runner().preview(db, campaign("products", "{days-after-procedure: {kind: PRODUCT, "
                + "days: 30}}", ""), day);
        assertThat(products.decisions()).extracting(CampaignRun.Decision::patientId).containsExactly("p-product");
    }

    @Test
    void noVisitPackageEndedAndBirthdaySelectTheirPatients() throws Exception {
        patient("p-away", "1990-05-01", true);
        appointment("p-away", "P004", day.minusDays(180), "ATTENDED", null);
        patient("p-recent", "1990-05-01", true);
        appointment("p-recent", "P004", day.minusDays(180), "ATTENDED", null);
        appointment("p-recent", "P004", day.minusDays(10), "ATTENDED", null);
        patient("p-never", "1990-05-01", true);
        assertThat(runner().preview(db, campaign("away", "{no-visit: {days: 180, catch-up-days: 0}}", ""), day)
                .decisions()).extracting(CampaignRun.Decision::patientId).containsExactly("p-away");

        patient("p-done", "1990-05-01", true);
        put("PackageEnrollment", "e-done", "{\"id\":\"e-done\",\"patientId\":\"p-done\",\"procedureCode\":\"P004\","
                + "\"sessionsTotal\":2,\"sessionsBalance\":0,\"enrolledOn\":\"2026-01-01\",\"billingMode\":\"UPFRONT\"}");
        appointment("p-done", "P004", day.minusDays(40), "ATTENDED", "e-done");
        appointment("p-done", "P004", day.minusDays(7), "ATTENDED", "e-done");
        patient("p-going", "1990-05-01", true);
        put("PackageEnrollment", "e-going", "{\"id\":\"e-going\",\"patientId\":\"p-going\",\"procedureCode\":\"P004\","
                + "\"sessionsTotal\":4,\"sessionsBalance\":2,\"enrolledOn\":\"2026-01-01\",\"billingMode\":\"UPFRONT\"}");
        appointment("p-going", "P004", day.minusDays(7), "ATTENDED", "e-going");
        assertThat(runner().preview(db, campaign("ended", "{package-ended: {days: 7, catch-up-days: 0}}", ""), day)
                .decisions()).extracting(CampaignRun.Decision::patientId).containsExactly("p-done");

        patient("p-bday", "1990-12-02", true);
        patient("p-leap", "2000-02-29", true);
        Campaign birthday = campaign("birthday", "{birthday: {}}", "audience: {exclude-with-future-appointment: "
                + "false}\n");
        assertThat(runner().preview(db, birthday, day).decisions()).extracting(CampaignRun.Decision::patientId)
                .containsExactly("p-bday");
        assertThat(runner().preview(db, birthday, LocalDate.parse("2027-02-28")).decisions())
                .extracting(CampaignRun.Decision::patientId).containsExactly("p-leap");
    }

    @Test
    void consentWithheldIsBlockedWithTheReasonAndARunIsOncePerDayAndPerCadence() throws Exception {
        patient("p-yes", "1990-12-02", true);
        patient("p-no", "1990-12-02", false);
        patient("p-unknown", "1990-12-02", null);
        Campaign birthday = campaign("birthday", "{birthday: {}}", "cadence: {once-per-patient-days: 300}\n");
        CampaignRun.Result first = runner().run(db, birthday, day, "admin");
        assertThat(first.alreadyRun()).isFalse();
        assertThat(with(first.plan(), CampaignRuns.SCHEDULED)).containsExactly("p-yes");
        assertThat(first.plan().reasons(CampaignRuns.BLOCKED)).containsExactlyEntriesOf(Map.of("consent", 2));
        assertThat(first.plan().decisions()).filteredOn(d -> d.patientId().equals("p-no")).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("no consent for MARKETING on [WHATSAPP, SMS]")
                        .contains("revoked or refused"));
        List<Messages.StoredMessage> messages = messages();
        assertThat(messages).singleElement().satisfies(m -> {
            assertThat(m.purpose()).isEqualTo("recall");
            assertThat(m.patientId()).isEqualTo("p-yes");
            assertThat(m.businessKey()).isEqualTo(CampaignRun.businessKey("birthday", day, "p-yes"));
            assertThat(m.dueAt()).isEqualTo(day.atTime(9, 0).atZone(SP).toInstant());
        });

        CampaignRun.Result again = runner().run(db, birthday, day, "admin");
        assertThat(again.alreadyRun()).isTrue();
        assertThat(again.run().id()).isEqualTo(first.run().id());
        assertThat(messages()).hasSize(1);

        // next year's birthday is past the 300 days; a day later in the cadence period the patient is left out
        clock.now = clock.now.plus(Duration.ofDays(1));
        CampaignRun.Plan next = runner().preview(db, campaign("birthday2", "{birthday: {}}", ""), day.plusDays(1));
        assertThat(next.decisions()).isEmpty();
        Campaign everyDay = campaign("daily", "{no-visit: {days: 1, catch-up-days: 3}}", "cadence: "
                + "{once-per-patient-days: 30}\n");
        appointment("p-yes", "P004", day.minusDays(1), "ATTENDED", null);
        assertThat(with(runner().run(db, everyDay, day, "admin").plan(), CampaignRuns.SCHEDULED))
                .containsExactly("p-yes");
        CampaignRun.Result tomorrow = runner().run(db, everyDay, day.plusDays(1), "admin");
        assertThat(tomorrow.alreadyRun()).isFalse();
        assertThat(reasons(tomorrow.plan())).containsEntry("p-yes", CampaignRun.CAMPAIGN_CADENCE);
        assertThat(messages()).filteredOn(m -> m.patientId().equals("p-yes"))
                .hasSize(2); // the birthday and the first daily one, not a third
    }

    @Test
    void theMessagingCoreDecidesWhenDueInTheCampaignsChannelOrderAndABookingIsAttributed() throws Exception {
        patient("p-1", "1990-12-02", true);
        patient("p-2", "1990-12-02", true);
        Campaign birthday = campaign("birthday", "{birthday: {}}", "channels: [sms, whatsapp]\n"
                + "attribution: {booked-within-days: 14, replied-within-days: 2}\n");
        CampaignRun.Result run = runner().run(db, birthday, day, "admin");
        assertThat(with(run.plan(), CampaignRuns.SCHEDULED)).containsExactlyInAnyOrder("p-1", "p-2");
        MessageDispatcher dispatcher = new MessageDispatcher(db, settings, templates, clock);
        assertThat(dispatcher.dispatchDue()).as("not due before the window opens").isEmpty();

        // p-2 withdraws the consent before the message is due: the messaging core blocks it then
        put("Patient", "p-2", "{\"id\":\"p-2\",\"name\":\"Bia\",\"mobilePhone\":\"+5511991214284\",\"consents\":[]}");
        clock.now = day.atTime(9, 30).atZone(SP).toInstant();
        List<MessageDispatcher.Addressed> sent = dispatcher.dispatchDue();
        assertThat(sent).singleElement().satisfies(a -> {
            assertThat(a.connector()).as("the campaign's channel order, SMS first").isEqualTo("sms");
            assertThat(a.command().data().path("channel").asText()).isEqualTo("SMS");
        });
        String messageId = sent.get(0).command().canonicalId();
        Instant sentAt = clock.now.plusSeconds(5);
        db.inTransaction(c -> {
            Messages.update(c, Messages.byId(c, messageId).orElseThrow().sent("smsc-1", sentAt));
            return null;
        });

        CampaignResults results = new CampaignResults(clock);
        CampaignResults.Summary before = results.results(db, birthday).get(0);
        assertThat(before.targeted()).isEqualTo(2);
        assertThat(before.sent()).isEqualTo(1);
        assertThat(before.blocked()).containsExactlyEntriesOf(Map.of("consent", 1));
        assertThat(before.booked()).isZero();
        assertThat(before.replied()).isZero();

        // an appointment the patient booked before the message is not the campaign's; one after it is, and a reply
        appointment("p-1", "P004", day.plusDays(20), "SCHEDULED", null); // created at 09:30, before the message
        put("Appointment", "a-before", "{\"id\":\"a-before\",\"patientId\":\"p-1\",\"procedureCode\":\"P004\","
                + "\"start\":\"2026-12-30T10:00:00-03:00\",\"end\":\"2026-12-30T11:00:00-03:00\",\"status\":"
                + "\"SCHEDULED\"}", sentAt.minusSeconds(60));
        db.inTransaction(c -> Messages.insertReply(c, new Messages.Reply("sms-in-1", "sms", null, "+5511991214283",
                "quero agendar", null, "UNKNOWN", sentAt.plus(Duration.ofHours(1)), null)));
        clock.now = sentAt.plus(Duration.ofDays(1));
        put("Appointment", "a-after", "{\"id\":\"a-after\",\"patientId\":\"p-1\",\"procedureCode\":\"P004\","
                + "\"start\":\"2026-12-31T10:00:00-03:00\",\"end\":\"2026-12-31T11:00:00-03:00\",\"status\":"
                + "\"SCHEDULED\"}", sentAt.plus(Duration.ofDays(1)));
        CampaignResults.Summary after = results.results(db, birthday).get(0);
        assertThat(after.booked()).isEqualTo(1);
        assertThat(after.replied()).isEqualTo(1);
        CampaignRuns.Target target = db.read(c -> CampaignRuns.targets(c, run.run().id())).stream()
                .filter(t -> t.patientId().equals("p-1")).findFirst().orElseThrow();
        assertThat(target.sentAt()).isEqualTo(sentAt);
        assertThat(target.bookedAppointment()).as("the first created after the message").isEqualTo("a-after");
        assertThat(target.repliedAt()).isEqualTo(sentAt.plus(Duration.ofHours(1)));
    }

    @Test
    void aBookingAfterTheAttributionWindowIsNotCounted() throws Exception {
        patient("p-1", "1990-12-02", true);
        Campaign birthday = campaign("birthday", "{birthday: {}}", "attribution: {booked-within-days: 3}\n");
        runner().run(db, birthday, day, "admin");
        clock.now = day.atTime(10, 0).atZone(SP).toInstant();
        String id = new MessageDispatcher(db, settings, templates, clock).dispatchDue().get(0).command()
                .canonicalId();
        Instant sentAt = clock.now;
        db.inTransaction(c -> {
            Messages.update(c, Messages.byId(c, id).orElseThrow().sent("wamid.1", sentAt));
            return null;
        });
        put("Appointment", "a-late", "{\"id\":\"a-late\",\"patientId\":\"p-1\",\"procedureCode\":\"P004\","
                + "\"start\":\"2026-12-30T10:00:00-03:00\",\"end\":\"2026-12-30T11:00:00-03:00\",\"status\":"
                + "\"SCHEDULED\"}", sentAt.plus(Duration.ofDays(4)));
        assertThat(new CampaignResults(clock).results(db, birthday).get(0).booked()).isZero();
        assertThat(db.read(c -> Messages.byId(c, id)).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        assertThat(OutboundMessage.ENTITY).isNotBlank();
    }
}
