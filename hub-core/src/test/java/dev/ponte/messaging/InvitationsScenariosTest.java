package dev.ponte.messaging;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.json.Json;
import dev.ponte.model.Channel;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.InboundSender;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calendar invitations by e-mail ({@link Invitations}) against a real (embedded H2) store, with a clock the test
 * moves: one invitation per booking, only on EMAIL, with the calendar entry the hub decides (uid, SEQUENCE, times,
 * zone, summary, location) and an HTML body whose values are escaped; later generations for changes the calendar
 * shows, superseded while not yet sent, withdrawn only when one went out; off without an EMAIL connector; blocked
 * without consent. Also SMS parts recorded on delivery, and a package's own reminder lead time.
 */
@Tag("store")
class InvitationsScenariosTest {

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

    private static final String GRANTED_AT = "2026-11-01T00:00:00Z";
    /** Thursday 2026-12-10, 15:00–16:00 São Paulo: every reminder of it is days away. */
    private static final String START = "2026-12-10T15:00:00-03:00";
    private static final String END = "2026-12-10T16:00:00-03:00";
    private static final String LOCATION = "Ponte Paulista, Av. Paulista, 1000, Bela Vista, São Paulo, SP";
    private static final String SUMMARY = "Limpeza de pele com Dra. Carla Lima - Ponte Paulista";

    @TempDir
    Path dir;
    private Database db;
    // Wednesday 2026-12-02 10:00 in São Paulo (13:00 UTC)
    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T13:00:00Z"));
    private final List<ExternalChange> changes = new ArrayList<>();
    private Path templates;
    private TemplateSet templateSet;
    private Messaging messaging;

    @BeforeEach
    void open() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("reminder.pt-BR.yaml"), """
                purpose: reminder
                text: "Olá, {{Patient.name|first}}! {{Appointment.start|date}} às {{Appointment.start|time}}."
                whatsapp: {name: ponte_lembrete, language: pt_BR, parameters: ["{{Patient.name|first}}"], buttons: [CONFIRM, CANCEL]}
                """);
        Files.writeString(templates.resolve("reply-confirmed.pt-BR.yaml"), "purpose: confirmation\ntext: Confirmado.\n");
        Files.writeString(templates.resolve("reply-cancelled.pt-BR.yaml"), "purpose: confirmation\ntext: Cancelado.\n");
        Files.writeString(templates.resolve("invitation.pt-BR.yaml"), """
                purpose: invitation
                channels: [EMAIL]
                subject: "{{Procedure.name}} com {{Professional.name}} - {{Unit.name}}"
                text: "Olá, {{Patient.name}}! {{Procedure.name}} em {{Appointment.start|date}} às {{Appointment.start|time}}."
                html: "<p>Olá, {{Patient.name}}!</p><p><strong>{{Procedure.name}}</strong> em {{Appointment.start|date}} às {{Appointment.start|time}}.</p>"
                """);
        Files.writeString(templates.resolve("invitation-cancelled.pt-BR.yaml"), """
                purpose: invitation
                channels: [EMAIL]
                subject: "Cancelado: {{Procedure.name}} com {{Professional.name}} - {{Unit.name}}"
                text: "Olá, {{Patient.name|first}}. Seu horário de {{Appointment.start|date}} foi cancelado."
                html: "<p>Olá, {{Patient.name|first}}.</p><p>Seu horário de {{Appointment.start|date}} foi cancelado.</p>"
                """);
        templateSet = new TemplateLoader(Glossary.load(Path.of("../mappings/glossary.yaml"))).loadFolder(templates);
        messaging = messaging(Map.of(), Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms", Channel.EMAIL, "email"));
        save("Procedure", "LIMP", "{\"code\":\"LIMP\",\"name\":\"Limpeza de pele\"}");
        save("Professional", "pro-carla", "{\"id\":\"pro-carla\",\"name\":\"Dra. Carla Lima\"}");
        save("Unit", "unit-paulista", "{\"id\":\"unit-paulista\",\"name\":\"Ponte Paulista\",\"address\":{"
                + "\"street\":\"Av. Paulista\",\"number\":\"1000\",\"district\":\"Bela Vista\",\"city\":\"São Paulo\","
                + "\"state\":\"SP\",\"postalCode\":\"01310100\"}}");
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** A messaging core over the same store, with channels whatsapp,sms,email plus {@code extra} settings. */
    private Messaging messaging(Map<String, String> extra, Map<Channel, String> connectors) {
        Map<String, String> all = new LinkedHashMap<>(extra);
        all.putIfAbsent("ponte.messaging.channels", "whatsapp,sms,email");
        MessagingSettings settings = MessagingSettings.from(all).withConnectors(connectors);
        assertThat(settings.problems()).as("settings problems").isEmpty();
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
        return new Messaging(db, settings, templateSet, clock, name -> inbound);
    }

    // ---- records ----

    private void patient(String id, String name, String... consents) {
        save("Patient", id, "{\"id\":\"" + id + "\",\"name\":\"" + name.replace("\"", "\\\"")
                + "\",\"mobilePhone\":\"+5511991214283\",\"email\":\"" + id + "@example.com\",\"consents\":["
                + String.join(",", consents) + "]}");
    }

    private static String consent(String channel, boolean granted) {
        return "{\"channel\":\"" + channel + "\",\"purpose\":\"REMINDERS\",\"granted\":" + granted
                + ",\"recordedAt\":\"" + GRANTED_AT + "\"}";
    }

    private static String[] allChannels() {
        return new String[]{consent("WHATSAPP", true), consent("SMS", true), consent("EMAIL", true)};
    }

    /** Saves an appointment of {@code patientId} at Ponte Paulista with Dra. Carla and returns its record. */
    private JsonNode appointment(String id, String patientId, String start, String end, String status,
                                 Map<String, String> extra) {
        ObjectNode a = Json.MAPPER.createObjectNode();
        a.put("id", id);
        a.put("patientId", patientId);
        a.put("professionalId", "pro-carla");
        a.put("procedureCode", "LIMP");
        a.put("start", start);
        a.put("end", end);
        a.put("status", status);
        a.put("unitId", "unit-paulista");
        extra.forEach(a::put);
        save("Appointment", id, a.toString());
        return a;
    }

    private JsonNode appointment(String id, String patientId, String start, String end, String status) {
        return appointment(id, patientId, start, end, status, Map.of());
    }

    private void save(String type, String id, String json) {
        db.inTransaction(c -> {
            CanonicalStore.save(c, type, id, json, dev.ponte.store.Hashes.sha256(json), clock.instant());
            return null;
        });
    }

    // ---- messaging ----

    private int changed(String id, JsonNode appointment) {
        return changed(messaging, id, appointment);
    }

    private int changed(Messaging on, String id, JsonNode appointment) {
        return db.inTransaction(c -> on.appointmentChanged(c, id, appointment));
    }

    private List<MessageDispatcher.Addressed> dispatch() {
        return messaging.dispatcher().dispatchDue();
    }

    /** The one command dispatched now. */
    private MessageDispatcher.Addressed dispatchOne() {
        List<MessageDispatcher.Addressed> due = dispatch();
        assertThat(due).as("commands dispatched now").hasSize(1);
        return due.get(0);
    }

    private void delivered(MessageDispatcher.Addressed a, Sink.Delivery delivery) {
        db.inTransaction(c -> {
            messaging.outcomes().delivered(c, a.connector(), a.command(), delivery, clock.instant());
            return null;
        });
    }

    private void delivered(MessageDispatcher.Addressed a, String externalId) {
        delivered(a, new Sink.Delivery(externalId, "accepted"));
    }

    private Messages.StoredMessage byKey(String key) {
        return db.read(c -> Messages.byKey(c, key)).orElseThrow(() -> new AssertionError("no message " + key));
    }

    private Optional<Messages.StoredMessage> findKey(String key) {
        return db.read(c -> Messages.byKey(c, key));
    }

    private List<Messages.StoredMessage> ofPurpose(String appointmentId, MessagePurpose purpose) {
        return db.read(c -> Messages.byAppointment(c, appointmentId)).stream()
                .filter(m -> purpose.id().equals(m.purpose())).toList();
    }

    private Optional<Integer> parts(String messageId) {
        Optional<Integer> parts = db.read(c -> Messages.parts(c, messageId));
        return parts;
    }

    private List<Messages.Step> steps(String id) {
        return db.read(c -> Messages.steps(c, id));
    }

    /** The calendar entry a stored invitation would carry now, without dispatching it. */
    private OutboundMessage.Invitation entryOf(String key) {
        Messages.StoredMessage m = byKey(key);
        Template t = templateSet.find(m.template(), "pt-BR", "pt-BR").orElseThrow();
        return db.read(c -> new Invitations(Messaging.invitationSettings(messaging.settings()))
                .entry(m, MessageDispatcher.records(c, m), t, ZoneId.of("America/Sao_Paulo"))).orElseThrow();
    }

    // ---- 1 ----

    @Test
    void aBookingSendsOneInvitationOnlyByEmailWithTheCalendarEntryAndAnEscapedHtmlBody() {
        patient("pat-ana", "Ana <b>&", allChannels());
        JsonNode a = appointment("appt-booked", "pat-ana", START, END, "SCHEDULED");
        assertThat(changed("appt-booked", a)).as("2 reminders + 1 invitation").isEqualTo(3);
        assertThat(ofPurpose("appt-booked", MessagePurpose.INVITATION)).extracting(Messages.StoredMessage::businessKey)
                .containsExactly("invitation:appt-booked");
        Messages.StoredMessage scheduled = byKey("invitation:appt-booked");
        assertThat(scheduled.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(scheduled.template()).isEqualTo("invitation");

        MessageDispatcher.Addressed sent = dispatchOne();
        assertThat(sent.connector()).as("WhatsApp is first and consented, but the template is EMAIL only")
                .isEqualTo("email");
        assertThat(sent.command().correlationId()).isEqualTo("invitation:appt-booked");
        OutboundMessage m = OutboundMessage.of(sent.command());
        assertThat(m.channel()).isEqualTo("EMAIL");
        assertThat(m.recipient()).isEqualTo("pat-ana@example.com");
        assertThat(m.purpose()).isEqualTo("invitation");
        assertThat(m.template()).as("no WhatsApp form on e-mail").isNull();
        assertThat(m.subject()).isEqualTo(SUMMARY);
        assertThat(m.text()).as("plain text is not escaped").isEqualTo("Olá, Ana <b>&! Limpeza de pele em 10/12/2026 às 15:00.");
        assertThat(m.html()).isEqualTo("<p>Olá, Ana &lt;b&gt;&amp;!</p><p><strong>Limpeza de pele</strong> em "
                + "10/12/2026 às 15:00.</p>");

        OutboundMessage.Invitation inv = m.invitation();
        assertThat(inv).isNotNull();
        assertThat(inv.uid()).isEqualTo("appt-booked@ponte.invalid");
        assertThat(inv.sequence()).isZero();
        assertThat(inv.cancelled()).isFalse();
        assertThat(inv.start()).isEqualTo(START);
        assertThat(inv.end()).isEqualTo(END);
        assertThat(inv.timeZone()).isEqualTo("America/Sao_Paulo");
        assertThat(inv.summary()).isEqualTo(SUMMARY);
        assertThat(inv.location()).isEqualTo(LOCATION);

        Messages.StoredMessage queued = byKey("invitation:appt-booked");
        assertThat(queued.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(queued.tried()).containsExactly("EMAIL");
        assertThat(steps(queued.id())).extracting(Messages.Step::channel).doesNotContain("WHATSAPP", "SMS");
        assertThat(dispatch()).as("handed once; the reminders are days away").isEmpty();
    }

    // ---- 2 ----

    @Test
    void onlyChangesTheCalendarShowsMakeANewGenerationAndAnUnsentOneIsSuperseded() {
        patient("pat-bia", "Bia Reis", allChannels());
        JsonNode booked = appointment("appt-moved", "pat-bia", START, END, "SCHEDULED");
        assertThat(changed("appt-moved", booked)).isEqualTo(3);
        assertThat(changed("appt-moved", booked)).as("the same event again").isZero();
        assertThat(changed("appt-moved", appointment("appt-moved", "pat-bia", START, END, "SCHEDULED",
                Map.of("notes", "trazer exames")))).as("notes are not on the calendar").isZero();
        assertThat(changed("appt-moved", appointment("appt-moved", "pat-bia", START, END, "CONFIRMED",
                Map.of("notes", "trazer exames")))).as("SCHEDULED → CONFIRMED is not on the calendar").isZero();
        assertThat(ofPurpose("appt-moved", MessagePurpose.INVITATION)).hasSize(1);

        delivered(dispatchOne(), "email-1");
        assertThat(byKey("invitation:appt-moved").status()).isEqualTo(MessageStatus.SENT);

        // moved a day later, after the first invitation went out
        JsonNode moved = appointment("appt-moved", "pat-bia", "2026-12-11T15:00:00-03:00",
                "2026-12-11T16:00:00-03:00", "CONFIRMED");
        assertThat(changed("appt-moved", moved)).as("2 reminders moved + invitation #2").isEqualTo(3);
        assertThat(changed("appt-moved", moved)).as("the move applied twice").isZero();
        Messages.StoredMessage second = byKey("invitation:appt-moved#2");
        assertThat(second.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(second.template()).isEqualTo("invitation");
        OutboundMessage.Invitation e2 = entryOf("invitation:appt-moved#2");
        assertThat(e2.sequence()).isEqualTo(1);
        assertThat(e2.uid()).as("the same calendar entry").isEqualTo("appt-moved@ponte.invalid");
        assertThat(e2.start()).isEqualTo("2026-12-11T15:00:00-03:00");
        assertThat(byKey("invitation:appt-moved").status()).as("the sent one stays SENT").isEqualTo(MessageStatus.SENT);

        // moved again (another room) before #2 was dispatched: #2 is superseded by #3
        JsonNode again = appointment("appt-moved", "pat-bia", "2026-12-11T17:00:00-03:00",
                "2026-12-11T18:00:00-03:00", "CONFIRMED", Map.of("room", "Sala 2"));
        changed("appt-moved", again);
        Messages.StoredMessage superseded = byKey("invitation:appt-moved#2");
        assertThat(superseded.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(superseded.reason()).startsWith("superseded");
        assertThat(byKey("invitation:appt-moved#3").status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(ofPurpose("appt-moved", MessagePurpose.INVITATION)).hasSize(3);

        MessageDispatcher.Addressed third = dispatchOne();
        assertThat(third.command().correlationId()).as("never the superseded #2").isEqualTo("invitation:appt-moved#3");
        OutboundMessage.Invitation e3 = OutboundMessage.of(third.command()).invitation();
        assertThat(e3.sequence()).isEqualTo(2);
        assertThat(e3.cancelled()).isFalse();
        assertThat(e3.uid()).isEqualTo("appt-moved@ponte.invalid");
        assertThat(e3.start()).isEqualTo("2026-12-11T17:00:00-03:00");
        assertThat(e3.end()).isEqualTo("2026-12-11T18:00:00-03:00");
        assertThat(dispatch()).isEmpty();
    }

    // ---- 3 ----

    @Test
    void cancellingAfterAnInvitationWentOutWithdrawsTheCalendarEntry() {
        patient("pat-cris", "Cris Melo", allChannels());
        JsonNode booked = appointment("appt-cancel-sent", "pat-cris", START, END, "SCHEDULED");
        changed("appt-cancel-sent", booked);
        MessageDispatcher.Addressed first = dispatchOne();
        assertThat(OutboundMessage.of(first.command()).invitation().sequence()).isZero();
        delivered(first, "email-1");

        JsonNode cancelled = appointment("appt-cancel-sent", "pat-cris", START, END, "CANCELLED");
        assertThat(changed("appt-cancel-sent", cancelled)).as("2 reminders cancelled + the withdrawal").isEqualTo(3);
        assertThat(changed("appt-cancel-sent", cancelled)).as("the cancellation applied twice").isZero();
        Messages.StoredMessage withdrawal = byKey("invitation:appt-cancel-sent#2");
        assertThat(withdrawal.template()).isEqualTo("invitation-cancelled");
        assertThat(withdrawal.status()).isEqualTo(MessageStatus.SCHEDULED);

        MessageDispatcher.Addressed w = dispatchOne();
        assertThat(w.connector()).isEqualTo("email");
        OutboundMessage m = OutboundMessage.of(w.command());
        assertThat(m.subject()).isEqualTo("Cancelado: " + SUMMARY);
        OutboundMessage.Invitation inv = m.invitation();
        assertThat(inv.cancelled()).isTrue();
        assertThat(inv.sequence()).as("higher than the sent one's 0").isEqualTo(1);
        assertThat(inv.uid()).isEqualTo("appt-cancel-sent@ponte.invalid");
        assertThat(inv.start()).isEqualTo(START);
        assertThat(inv.summary()).isEqualTo("Cancelado: " + SUMMARY);
        assertThat(ofPurpose("appt-cancel-sent", MessagePurpose.REMINDER)).extracting(Messages.StoredMessage::status)
                .containsOnly(MessageStatus.CANCELLED);
    }

    @Test
    void cancellingBeforeAnyInvitationWentOutSendsNothing() {
        patient("pat-dani", "Dani Rocha", allChannels());
        changed("appt-cancel-early", appointment("appt-cancel-early", "pat-dani", START, END, "SCHEDULED"));
        assertThat(changed("appt-cancel-early", appointment("appt-cancel-early", "pat-dani", START, END,
                "CANCELLED"))).as("2 reminders + the pending invitation cancelled, nothing new").isEqualTo(3);
        Messages.StoredMessage pending = byKey("invitation:appt-cancel-early");
        assertThat(pending.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(pending.reason()).startsWith("superseded");
        assertThat(ofPurpose("appt-cancel-early", MessagePurpose.INVITATION)).as("no withdrawal generation")
                .hasSize(1);
        assertThat(findKey("invitation:appt-cancel-early#2")).isEmpty();
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void anAppointmentCancelledBeforeItsInvitationWentOutAndThenBookedAgainGetsItsInvitation() {
        patient("pat-eva", "Eva Dias", allChannels());
        changed("appt-revived", appointment("appt-revived", "pat-eva", START, END, "SCHEDULED"));
        changed("appt-revived", appointment("appt-revived", "pat-eva", START, END, "CANCELLED"));
        assertThat(byKey("invitation:appt-revived").status()).isEqualTo(MessageStatus.CANCELLED);
        // the source system undoes the cancellation: same time, same place
        JsonNode revived = appointment("appt-revived", "pat-eva", START, END, "SCHEDULED");
        changed("appt-revived", revived);
        assertThat(changed("appt-revived", revived)).as("applied twice").isZero();
        MessageDispatcher.Addressed sent = dispatchOne();
        assertThat(sent.connector()).isEqualTo("email");
        OutboundMessage.Invitation inv = OutboundMessage.of(sent.command()).invitation();
        assertThat(inv.cancelled()).isFalse();
        assertThat(inv.uid()).isEqualTo("appt-revived@ponte.invalid");
        assertThat(inv.start()).isEqualTo(START);
        assertThat(ofPurpose("appt-revived", MessagePurpose.REMINDER)).extracting(Messages.StoredMessage::status)
                .as("the reminders come back too").containsOnly(MessageStatus.SCHEDULED);
    }

    // ---- 4 ----

    @Test
    void withoutAnEmailConnectorOrWhenTurnedOffNoInvitationIsScheduled() {
        patient("pat-fabi", "Fabi Nunes", allChannels());
        assertThat(Messaging.invitationSettings(messaging.settings()).enabled()).as("the test's own setup").isTrue();

        Messaging noEmail = messaging(Map.of(), Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms"));
        assertThat(Messaging.invitationSettings(noEmail.settings()).enabled()).isFalse();
        JsonNode a1 = appointment("appt-no-email", "pat-fabi", START, END, "SCHEDULED");
        assertThat(changed(noEmail, "appt-no-email", a1)).as("the reminders only").isEqualTo(2);
        changed(noEmail, "appt-no-email", appointment("appt-no-email", "pat-fabi", "2026-12-11T15:00:00-03:00",
                "2026-12-11T16:00:00-03:00", "SCHEDULED"));
        assertThat(ofPurpose("appt-no-email", MessagePurpose.INVITATION)).isEmpty();

        Messaging off = messaging(Map.of("ponte.messaging.invitations", "false"),
                Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms", Channel.EMAIL, "email"));
        assertThat(Messaging.invitationSettings(off.settings()).enabled()).isFalse();
        assertThat(changed(off, "appt-off", appointment("appt-off", "pat-fabi", START, END, "SCHEDULED")))
                .isEqualTo(2);
        changed(off, "appt-off", appointment("appt-off", "pat-fabi", START, END, "CANCELLED"));
        assertThat(ofPurpose("appt-off", MessagePurpose.INVITATION)).isEmpty();
        assertThat(off.dispatcher().dispatchDue()).isEmpty();

        MessagingSettings emailNotAChannel = MessagingSettings.from(Map.of("ponte.messaging.channels", "whatsapp,sms"))
                .withConnectors(Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms", Channel.EMAIL, "email"));
        assertThat(Messaging.invitationSettings(emailNotAChannel).enabled())
                .as("an EMAIL connector, but e-mail is not one of ponte.messaging.channels").isFalse();
    }

    @Test
    void theUidDomainIsConfigurableAndABadOneIsAProblemNamingTheKey() {
        assertThat(MessagingSettings.from(Map.of("ponte.messaging.invitations.uid-domain", "clínica ponte!"))
                .problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.invitations.uid-domain")
                .contains("clínica ponte!"));
        assertThat(MessagingSettings.from(Map.of("ponte.messaging.invitations.uid-domain", "-bad-.com.br"))
                .problems()).anySatisfy(p -> assertThat(p).contains("ponte.messaging.invitations.uid-domain"));
        assertThat(MessagingSettings.from(Map.of("ponte.messaging.invitations", "maybe")).problems())
                .anySatisfy(p -> assertThat(p).contains("ponte.messaging.invitations:"));
        assertThat(MessagingSettings.from(Map.of("ponte.messaging.invitations.uid-domain", "clinica.com.br"))
                .problems()).isEmpty();

        patient("pat-gabi", "Gabi Pires", allChannels());
        messaging = messaging(Map.of("ponte.messaging.invitations.uid-domain", "clinica.com.br"),
                Map.of(Channel.WHATSAPP, "wa", Channel.SMS, "sms", Channel.EMAIL, "email"));
        changed("appt-domain", appointment("appt-domain", "pat-gabi", START, END, "SCHEDULED"));
        assertThat(OutboundMessage.of(dispatchOne().command()).invitation().uid())
                .isEqualTo("appt-domain@clinica.com.br");
    }

    // ---- 5 ----

    @Test
    void withoutEmailConsentTheInvitationIsBlockedAndNeverGoesOnWhatsAppOrSms() {
        patient("pat-helo", "Helo Prado", consent("WHATSAPP", true), consent("SMS", true));
        changed("appt-no-consent", appointment("appt-no-consent", "pat-helo", START, END, "SCHEDULED"));
        assertThat(dispatch()).isEmpty();
        Messages.StoredMessage m = byKey("invitation:appt-no-consent");
        assertThat(m.status()).isEqualTo(MessageStatus.BLOCKED);
        assertThat(m.reason()).contains("no consent for REMINDERS on [EMAIL]");
        assertThat(m.channel()).isNull();
        assertThat(m.tried()).isEmpty();
        assertThat(steps(m.id())).extracting(s -> s.step() + ":" + s.outcome()).contains("consent:BLOCKED");
        assertThat(steps(m.id())).extracting(Messages.Step::channel).doesNotContain("WHATSAPP", "SMS");

        // refused on e-mail explicitly: the reason says so; later looks change nothing
        patient("pat-iara", "Iara Lopes", consent("WHATSAPP", true), consent("EMAIL", false));
        changed("appt-refused", appointment("appt-refused", "pat-iara", START, END, "SCHEDULED"));
        assertThat(dispatch()).isEmpty();
        Messages.StoredMessage r = byKey("invitation:appt-refused");
        assertThat(r.status()).isEqualTo(MessageStatus.BLOCKED);
        assertThat(r.reason()).contains("no consent for REMINDERS").contains("revoked or refused on [EMAIL]");
        clock.advance(Duration.ofHours(1));
        assertThat(dispatch()).isEmpty();
        assertThat(byKey("invitation:appt-refused").tried()).isEmpty();
    }

    // ---- 6 ----

    @Test
    void aDeliveryRecordsTheBillablePartsTheProviderCountedAndNoneWhenItCountedNone() {
        patient("pat-jade", "Jade Costa", consent("SMS", true), consent("EMAIL", true));
        // Friday 2026-12-04 15:00 São Paulo: the 48 h reminder is due Wednesday 15:00
        changed("appt-parts", appointment("appt-parts", "pat-jade", "2026-12-04T15:00:00-03:00",
                "2026-12-04T16:00:00-03:00", "SCHEDULED"));
        MessageDispatcher.Addressed email = dispatchOne();
        assertThat(email.connector()).isEqualTo("email");
        delivered(email, new Sink.Delivery("email-1", "accepted"));
        Messages.StoredMessage invitation = byKey("invitation:appt-parts");
        assertThat(invitation.status()).isEqualTo(MessageStatus.SENT);
        assertThat(parts(invitation.id())).as("no part count").isEmpty();

        clock.now = Instant.parse("2026-12-02T18:00:00Z");
        MessageDispatcher.Addressed sms = dispatchOne();
        assertThat(sms.connector()).isEqualTo("sms");
        assertThat(sms.command().correlationId()).isEqualTo("reminder:appt-parts:48h");
        delivered(sms, new Sink.Delivery("id-1", "3 segment(s), GSM-7", 3));
        Messages.StoredMessage reminder = byKey("reminder:appt-parts:48h");
        assertThat(reminder.status()).isEqualTo(MessageStatus.SENT);
        assertThat(reminder.externalId()).isEqualTo("id-1");
        assertThat(parts(reminder.id())).contains(3);
        assertThat(steps(reminder.id())).extracting(Messages.Step::reason).contains("3 segment(s), GSM-7");
        assertThat(parts(invitation.id())).as("still none").isEmpty();
    }

    // ---- 7 ----

    private void enrollment(String id, String patientId, Integer leadHours) {
        save("PackageEnrollment", id, "{\"id\":\"" + id + "\",\"patientId\":\"" + patientId + "\","
                + "\"procedureCode\":\"LIMP\",\"sessionsTotal\":10,\"enrolledOn\":\"2026-11-01\","
                + "\"billingMode\":\"UPFRONT\"" + (leadHours == null ? "" : ",\"reminderLeadHours\":" + leadHours) + "}");
    }

    private static final Instant START_INSTANT = Instant.parse("2026-12-10T18:00:00Z");

    @Test
    void aPackagesOwnLeadTimeReplacesTheConfiguredOnes() {
        patient("pat-lia", "Lia Gomes", allChannels());
        enrollment("enr-24h", "pat-lia", 24);
        JsonNode a = appointment("appt-package", "pat-lia", START, END, "SCHEDULED",
                Map.of("enrollmentId", "enr-24h"));
        assertThat(changed("appt-package", a)).as("1 reminder + 1 invitation").isEqualTo(2);
        assertThat(changed("appt-package", a)).isZero();
        List<Messages.StoredMessage> reminders = ofPurpose("appt-package", MessagePurpose.REMINDER);
        assertThat(reminders).extracting(Messages.StoredMessage::businessKey)
                .containsExactly("reminder:appt-package:24h");
        assertThat(reminders.get(0).scheduledFor()).isEqualTo(START_INSTANT.minus(Duration.ofHours(24)));
        assertThat(reminders.get(0).status()).isEqualTo(MessageStatus.SCHEDULED);

        // an enrollment the hub does not hold, or without a lead time: the configured ones
        changed("appt-dangling", appointment("appt-dangling", "pat-lia", START, END, "SCHEDULED",
                Map.of("enrollmentId", "enr-unknown")));
        assertThat(ofPurpose("appt-dangling", MessagePurpose.REMINDER)).extracting(Messages.StoredMessage::businessKey)
                .containsExactlyInAnyOrder("reminder:appt-dangling:48h", "reminder:appt-dangling:2h");
    }

    @Test
    void linkingAnAppointmentToSuchAPackageReplacesItsRemindersAndUnlinkingBringsTheDefaultsBack() {
        patient("pat-mel", "Mel Souza", allChannels());
        changed("appt-linked", appointment("appt-linked", "pat-mel", START, END, "SCHEDULED"));
        Messages.StoredMessage r48 = byKey("reminder:appt-linked:48h");
        Messages.StoredMessage r2 = byKey("reminder:appt-linked:2h");
        assertThat(r48.scheduledFor()).isEqualTo(START_INSTANT.minus(Duration.ofHours(48)));

        // the source system links it to a package with its own lead time
        enrollment("enr-linked", "pat-mel", 24);
        JsonNode linked = appointment("appt-linked", "pat-mel", START, END, "SCHEDULED",
                Map.of("enrollmentId", "enr-linked"));
        assertThat(changed("appt-linked", linked)).as("48h and 2h cancelled, 24h scheduled, the invitation as it is")
                .isEqualTo(3);
        assertThat(changed("appt-linked", linked)).isZero();
        for (String lead : List.of("48h", "2h")) {
            Messages.StoredMessage m = byKey("reminder:appt-linked:" + lead);
            assertThat(m.status()).as(lead).isEqualTo(MessageStatus.CANCELLED);
            assertThat(m.reason()).as(lead).startsWith(Reminders.APPOINTMENT).contains("package").contains("24h");
        }
        Messages.StoredMessage r24 = byKey("reminder:appt-linked:24h");
        assertThat(r24.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(r24.scheduledFor()).isEqualTo(START_INSTANT.minus(Duration.ofHours(24)));
        assertThat(ofPurpose("appt-linked", MessagePurpose.INVITATION)).as("the calendar shows no package")
                .hasSize(1);

        // the package's lead time removed: the next event of the appointment revives 48h and 2h (same rows)
        enrollment("enr-linked", "pat-mel", null);
        assertThat(changed("appt-linked", linked)).as("24h cancelled, 48h and 2h revived").isEqualTo(3);
        Messages.StoredMessage back48 = byKey("reminder:appt-linked:48h");
        Messages.StoredMessage back2 = byKey("reminder:appt-linked:2h");
        assertThat(back48.id()).isEqualTo(r48.id());
        assertThat(back2.id()).isEqualTo(r2.id());
        assertThat(back48.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(back2.status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(back48.scheduledFor()).isEqualTo(START_INSTANT.minus(Duration.ofHours(48)));
        assertThat(back2.scheduledFor()).isEqualTo(START_INSTANT.minus(Duration.ofHours(2)));
        assertThat(findKey("reminder:appt-linked:48h#2")).as("revived, not rescheduled as a new generation")
                .isEmpty();
        Messages.StoredMessage gone24 = byKey("reminder:appt-linked:24h");
        assertThat(gone24.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(gone24.reason()).as("revivable if the package's lead time comes back")
                .startsWith(Reminders.APPOINTMENT).contains("48h").contains("2h")
                .doesNotContain("package sets its own");
        assertThat(ofPurpose("appt-linked", MessagePurpose.REMINDER)).filteredOn(m -> m.status() == MessageStatus.SCHEDULED)
                .extracting(Messages.StoredMessage::businessKey)
                .containsExactlyInAnyOrder("reminder:appt-linked:48h", "reminder:appt-linked:2h");

        // and the 48 h one goes out when due, once
        clock.now = START_INSTANT.minus(Duration.ofHours(48));
        MessageDispatcher.Addressed invitation = dispatch().stream()
                .filter(x -> x.command().correlationId().startsWith("invitation:")).findFirst().orElseThrow();
        assertThat(invitation.connector()).isEqualTo("email");
        assertThat(byKey("reminder:appt-linked:48h").status()).isEqualTo(MessageStatus.QUEUED);
    }
}
