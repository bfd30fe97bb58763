package dev.ponte.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.ponte.connectors.fiscal.FiscalTestKit;
import dev.ponte.connectors.fiscal.SefazStandIn;
import dev.ponte.connectors.fiscal.SefinStandIn;
import dev.ponte.connectors.googlecalendar.GoogleCalendarConnector;
import dev.ponte.connectors.sms.SmscStandIn;
import dev.ponte.demo.DemoClock;
import dev.ponte.demo.DemoDay;
import dev.ponte.json.Json;
import dev.ponte.model.MessageStatus;
import dev.ponte.reconcile.Reconciliation;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.Messages;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole clinic day end to end, in one hub, with every connector against its protocol stand-in: Google Calendar
 * and the WhatsApp Graph API (WireMock), an SMSC (jsmpp), an SMTP server (GreenMail), the Sefin Nacional and
 * SEFAZ (WireMock). The day is the demo's ({@link DemoDay}: the morning export, the reminders as the simulated clock
 * moves, the patients' answers, the end-of-day export, the payment gateway's report, the invoices, the receipts and
 * the reconciliation); here the patients answer through the channels' real inbound paths (a signed WhatsApp
 * webhook, an SMS from the SMSC).
 *
 * <p>The sample is the demo export's reference data and the patients of the day ({@code examples/legacy-clinic},
 * this project's copy of the shared export's shape) with a short history written here, in which these
 * mismatches are planted; the reconciliation must find them all and nothing else:
 * <ul>
 *   <li>200001: attended five days ago, the clinic system has no charge for it (attended-not-charged);</li>
 *   <li>800002: the charge of 200002, due five days ago, still open (charged-not-paid);</li>
 *   <li>package 990 has one session, used by 200004; 300016 today is one more: refused (package-exhausted dead
 *       letter) and the package's sessions disagree with its attended appointments (package-sessions-mismatch);</li>
 *   <li>patient 1025 has lost her CPF in the clinic system: 300015 is charged and paid, its NFS-e cannot be made
 *       (REJECTED, a dead letter of the nfse connector) and the charge is paid-not-invoiced;</li>
 *   <li>300011 (AMIL does not cover P003) and 300014 (no price) are attended and on the review list, never billed:
 *       attended-not-charged too, as the reconciliation must say.</li>
 * </ul>
 * 200003 is the control: attended, charged, paid and invoiced by the clinic system; it must give no finding.
 * After the day the hub publishes every appointment event of the packages again, as after a crash between the
 * broker's commit and the outbox's marking: no balance moves, nothing reaches a stand-in a second time.
 */
class ClinicDayIT {

    private static final ZoneId SP = ZoneId.of("America/Sao_Paulo");
    private static final String PHONE_ID = "104857600123";
    private static final String APP_SECRET = "it-app-secret-0123456789";
    private static final String CHANNEL_TOKEN = "it-channel-T0ken";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter BR = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    /** The day's appointments as the demo books them, and the one planted here. */
    private static final List<String> PACKAGE_APPOINTMENTS = List.of("300008", "300009", "200004", "300016");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path sample;
    static WireMockServer google;
    static WireMockServer graph;
    static SmscStandIn smsc;
    static GreenMail mail;
    static SefinStandIn sefin;
    static SefazStandIn sefaz;
    static PonteHub hub;
    static LocalDate day;
    static DemoClock clock;
    static final StringWriter log = new StringWriter();
    static final Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void liveTheDay() throws Exception {
        day = DemoDay.dayOf(LocalDate.now(SP));
        google = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        google.start();
        google.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson("{\"access_token\":\"ya29.it\","
                + "\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        google.stubFor(post(urlPathMatching("/calendar/v3/calendars/[^/]+/events")).willReturn(okJson(
                "{\"etag\":\"\\\"1\\\"\",\"status\":\"confirmed\"}")));
        // the Google client sends a PATCH as a POST with X-HTTP-Method-Override, as Google accepts it
        google.stubFor(post(urlPathMatching("/calendar/v3/calendars/[^/]+/events/.+"))
                .withHeader("X-HTTP-Method-Override", equalTo("PATCH")).willReturn(okJson(
                        "{\"etag\":\"\\\"2\\\"\",\"status\":\"confirmed\"}")));
        google.stubFor(delete(urlPathMatching("/calendar/v3/calendars/[^/]+/events/.*")).willReturn(
                aResponse().withStatus(204)));
        google.stubFor(get(urlPathMatching("/calendar/v3/calendars/[^/]+/events")).willReturn(okJson(
                "{\"items\":[],\"nextSyncToken\":\"t0\"}")));
        graph = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        graph.start();
        graph.stubFor(post(urlPathEqualTo("/v21.0/" + PHONE_ID + "/messages")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.{{randomValue "
                        + "length=16 type='ALPHANUMERIC'}}\"}]}")));
        smsc = new SmscStandIn();
        mail = new GreenMail(new ServerSetup(HubTestSupport.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.setUser("agenda@clinicabela.com.br", "agenda", "smtp-it-password");
        mail.start();
        sefin = new SefinStandIn();
        sefin.accepts();
        sefaz = new SefazStandIn();
        sefaz.authorizesAny();

        Path export = writeSample();
        HubSettings settings = HubTestSupport.settings(dataDir, settings());
        DemoDay theDay = new DemoDay(settings, export, sample.resolve("agenda-do-dia.csv"), day,
                new PrintWriter(log, true), ClinicDayIT::answer);
        clock = new DemoClock(theDay.start(), SP);
        hub = PonteHub.prepare(settings, clock).start(true);
        theDay.live(hub, clock);
        before = Observed.now();
        calendarWritesBefore = calendarWrites().size();

        // the hub publishes the package appointments' events again (a crash between the broker's commit and the
        // outbox's marking does this): every subscriber gets each of them a second time
        List<String> ids = PACKAGE_APPOINTMENTS.stream().map(ClinicDayIT::appointment).toList();
        republished = hub.database().inTransaction(c -> {
            try (var ps = c.prepareStatement("update event set published = false where type like 'appointment.%'"
                    + " and subject in (?, ?, ?, ?)")) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 1, ids.get(i));
                }
                return ps.executeUpdate();
            }
        });
        theDay.awaitIdle(hub, clock);
        after = Observed.now();
    }

    static Observed before;
    static Observed after;
    static int republished;
    static int calendarWritesBefore;

    @AfterAll
    static void stopAll() {
        if (hub != null) {
            hub.close();
        }
        Stream.<AutoCloseable>of(smsc, sefin, sefaz).filter(java.util.Objects::nonNull).forEach(c -> {
            try {
                c.close();
            } catch (Exception ignored) {
                // the next stand-in is closed all the same
            }
        });
        if (mail != null) {
            mail.stop();
        }
        Stream.of(google, graph).filter(java.util.Objects::nonNull).forEach(WireMockServer::stop);
    }

    private static Map<String, String> settings() throws Exception {
        Map<String, String> o = new HashMap<>(HubTestSupport.calendarConnector("http://127.0.0.1:" + google.port(),
                CHANNEL_TOKEN, "prof1@clinica-exemplo.com.br"));
        o.put("ponte.clinic", "clinica-it");
        o.put("ponte.connectors.calendar.requests-per-second", "1000");
        o.put("ponte.connectors.calendar.backoff-initial", "50ms");
        o.put("ponte.connectors.legacy.status-outbox", dataDir.resolve("legacy-outbox").toString());
        o.put("ponte.connectors.payments.type", "legacy-csv");
        o.put("ponte.connectors.payments.mappings", HubTestSupport.HOME.resolve("mappings/payments").toString());
        o.put("ponte.connectors.payments.poll-delay", "200ms");
        o.put("ponte.connectors.wa.type", "whatsapp");
        o.put("ponte.connectors.wa.phone-number-id", PHONE_ID);
        o.put("ponte.connectors.wa.access-token", "it-access-token-0123456789");
        o.put("ponte.connectors.wa.app-secret", APP_SECRET);
        o.put("ponte.connectors.wa.verify-token", "it-verify-token-0123456789");
        o.put("ponte.connectors.wa.base-url", graph.baseUrl());
        o.put("ponte.connectors.sms.type", "sms");
        smsc.config().forEach((k, v) -> o.put("ponte.connectors.sms." + k, v));
        o.putAll(HubTestSupport.emailConnector(mail.getSmtp().getPort()));
        Path keys = Files.createDirectories(sample.resolve("keys"));
        Path certificate = keys.resolve("a1.p12");
        if (!Files.exists(certificate)) {
            FiscalTestKit.certificateValidAt(certificate, day.atTime(12, 0).atZone(SP).toInstant());
        }
        o.put("ponte.connectors.nfse.type", "nfse-nacional");
        FiscalTestKit.nfseIssuer().forEach((k, v) -> o.put("ponte.connectors.nfse." + k, v));
        o.put("ponte.connectors.nfse.schemas", FiscalTestKit.standInSchemas(keys.resolve("schemas")).toString());
        o.put("ponte.connectors.nfse.certificate", certificate.toString());
        o.put("ponte.connectors.nfse.certificate-password", FiscalTestKit.PASSWORD);
        o.put("ponte.connectors.nfse.base-url", sefin.baseUrl());
        o.put("ponte.connectors.nfse.timeout", "2s");
        o.put("ponte.connectors.nfe.type", "nfe-sefaz");
        FiscalTestKit.nfeIssuer().forEach((k, v) -> o.put("ponte.connectors.nfe." + k, v));
        o.put("ponte.connectors.nfe.certificate", certificate.toString());
        o.put("ponte.connectors.nfe.certificate-password", FiscalTestKit.PASSWORD);
        o.put("ponte.connectors.nfe.authorization-url", sefaz.endpoints().authorization().toString());
        o.put("ponte.connectors.nfe.query-url", sefaz.endpoints().query().toString());
        o.put("ponte.connectors.nfe.timeout", "2s");
        o.put("ponte.fiscal.trigger", "on-payment");
        o.put("ponte.fiscal.from", day.toString());
        o.put("ponte.flows.billing.from", day.toString());
        o.put("ponte.flows.reconcile.at", "off");
        o.put("ponte.messaging.templates", HubTestSupport.HOME.resolve("mappings/templates").toString());
        o.put("ponte.messaging.dispatch-interval", "100");
        return o;
    }

    /**
     * The sample export: the demo export's procedures, professionals and coverages, the day's patients (1025 without
     * her CPF), packages 500 and 503 and the planted 990, and the planted history; the day's agenda is the demo's
     * with 300016.
     */
    private static Path writeSample() throws Exception {
        Path demo = HubTestSupport.DEMO_EXPORT;
        Path export = Files.createDirectories(sample.resolve("export"));
        for (String f : List.of("procedimentos.csv", "profissionais.csv", "coberturas.csv")) {
            Files.copy(demo.resolve(f), export.resolve(f));
        }
        List<String> dayAgenda = new ArrayList<>(lines(HubTestSupport.HOME.resolve("examples/demo-day/agenda.csv")));
        dayAgenda.add("300016;1001;HOJE;17:30;18:00;1;Sala 1;P001;AG;;PARTICULAR;;990;");
        write(sample.resolve("agenda-do-dia.csv"), dayAgenda);
        Set<String> patients = dayAgenda.stream().skip(1).map(l -> l.split(";", -1)[1])
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> pacientes = new ArrayList<>();
        for (String line : lines(demo.resolve("pacientes.csv"))) {
            String[] f = line.split(";", -1);
            if (pacientes.isEmpty() || patients.contains(f[0])) {
                if (f[0].equals("1025")) {
                    f[2] = ""; // the planted loss: her CPF
                }
                pacientes.add(String.join(";", f));
            }
        }
        assertThat(pacientes).as("the day's patients in the demo export").hasSize(patients.size() + 1);
        write(export.resolve("pacientes.csv"), pacientes);
        List<String> pacotes = new ArrayList<>();
        for (String line : lines(demo.resolve("pacotes.csv"))) {
            if (pacotes.isEmpty() || line.startsWith("500;") || line.startsWith("503;")) {
                pacotes.add(line);
            }
        }
        pacotes.add("990;1001;Pacote 1 limpeza;P001;1;" + ago(10) + ";N;T;180,00");
        write(export.resolve("pacotes.csv"), pacotes);
        write(export.resolve("agenda.csv"), List.of(dayAgenda.get(0),
                "200001;1001;" + ago(5) + ";09:00;10:00;1;Sala 1;P001;AT;180,00;PARTICULAR;;;",
                "200002;1002;" + ago(5) + ";10:00;10:45;3;Sala 2;P002;AT;350,00;PARTICULAR;;;",
                "200003;1005;" + ago(4) + ";10:00;11:00;1;Sala 1;P001;AT;180,00;PARTICULAR;;;",
                "200004;1001;" + ago(3) + ";09:00;10:00;1;Sala 1;P001;AT;;PARTICULAR;;990;"));
        write(export.resolve("financeiro.csv"), List.of(
                "COD_LANC;COD_PACIENTE;COD_AGENDA;DATA_VENC;DATA_PAGTO;VALOR;VALOR_PAGO;FORMA_PAGTO;STATUS;NF_NUMERO",
                "800002;1002;200002;" + ago(5) + ";;350,00;;;ABERTO;",
                "800003;1005;200003;" + ago(4) + ";" + ago(4) + ";180,00;180,00;PIX;PAGO;3101"));
        return export;
    }

    private static String ago(int days) {
        return day.minusDays(days).format(BR);
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().filter(l -> !l.isBlank()).toList();
    }

    private static void write(Path file, List<String> lines) throws Exception {
        Files.write(file, (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A patient answers a reminder through the channel it came by: Meta's signed webhook, or an SMS to the SMSC. */
    private static void answer(PonteHub h, Messages.StoredMessage reminder, String text, Instant at) throws Exception {
        String from = reminder.recipient().replace("+", "");
        answered.add(reminder.appointmentId());
        switch (reminder.channel()) {
            case "WHATSAPP" -> {
                HttpResponse<String> r = postSigned(textReply(from, "wamid.reply." + reminder.id(),
                        reminder.externalId(), text, at));
                assertThat(r.statusCode()).as("the webhook's answer to a signed reply: %s", r.body()).isEqualTo(200);
            }
            case "SMS" -> assertThat(smsc.sendInbound(from, (byte) 1, text, (byte) 0x08))
                    .as("the hub's deliver_sm_resp").isZero();
            default -> throw new AssertionError("the day's patients answer on WhatsApp or SMS, not "
                    + reminder.channel());
        }
    }

    private static HttpResponse<String> postSigned(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.settings().get("ponte.http.port")
                        + "/webhooks/whatsapp/wa")).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String textReply(String from, String id, String inReplyTo, String text, Instant at) {
        var value = Json.MAPPER.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "5511900000000").put("phone_number_id", PHONE_ID);
        value.putArray("contacts").addObject().put("wa_id", from).putObject("profile").put("name", "Paciente");
        var m = value.putArray("messages").addObject().put("from", from).put("id", id)
                .put("timestamp", String.valueOf(at.getEpochSecond())).put("type", "text");
        m.putObject("context").put("from", "5511900000000").put("id", inReplyTo);
        m.putObject("text").put("body", text);
        var root = Json.MAPPER.createObjectNode().put("object", "whatsapp_business_account");
        root.putArray("entry").addObject().put("id", "1029384756").putArray("changes").addObject()
                .put("field", "messages").set("value", value);
        return root.toString();
    }

    /** What each stand-in has received, to compare before and after the events are published again. */
    record Observed(int whatsAppSends, int smsSubmits, int mails, int sefinPosts,
                    int sefazAuthorizations, long charges, long openDeadLetters, String balances) {
        static Observed now() {
            return new Observed(ClinicDayIT.whatsAppSends().size(), smsc.submits().size(),
                    mail.getReceivedMessages().length, sefin.posts(), sefaz.authorizations(),
                    HubTestSupport.count(hub.database(), "select count(*) from canonical_record where entity_type ="
                            + " 'Charge'"), HubTestSupport.count(hub.database(), "select count(*) from dead_letter"
                            + " where status = 'OPEN'"), hub.database().inTransaction(c -> {
                                Map<String, String> out = new TreeMap<>();
                                for (var e : CanonicalStore.payloads(c, "PackageEnrollment").entrySet()) {
                                    JsonNode n = tree(e.getValue());
                                    out.put(e.getKey(), n.path("sessionsUsed").asText() + "/"
                                            + n.path("sessionsBalance").asText());
                                }
                                return out.toString();
                            }));
        }
    }

    /** The event writes Google received (inserts, updates, deletes); token requests and syncs left out. */
    private static List<ServeEvent> calendarWrites() {
        return google.getAllServeEvents().stream().filter(e -> !e.getRequest().getMethod().getName().equals("GET")
                && e.getRequest().getUrl().startsWith("/calendar/v3/calendars/")).toList();
    }

    private static List<ServeEvent> whatsAppSends() {
        return graph.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("POST")
                && e.getRequest().getUrl().endsWith("/messages")).toList();
    }

    private static List<Messages.StoredMessage> messages(String channel) {
        return hub.database().read(c -> Messages.recent(c, List.of(), 10_000)).stream()
                .filter(m -> channel.equals(m.channel()) && Set.of(MessageStatus.SENT, MessageStatus.DELIVERED,
                        MessageStatus.READ).contains(m.status())).toList();
    }

    private static String appointment(String code) {
        return hub.database().inTransaction(c -> CanonicalStore.referencedId(c, "legacy-clinic", "Appointment", code))
                .orElseThrow(() -> new AssertionError("no appointment " + code + "; " + log));
    }

    /** An event's body as Google would keep it: the id (sent on insert only) left out. */
    private static JsonNode withoutId(String body) {
        com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) tree(body);
        n.remove("id");
        return n;
    }

    private static JsonNode tree(String payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(String code) {
        return hub.database().inTransaction(c -> CanonicalStore.payload(c, "Appointment", appointment(code)))
                .map(p -> tree(p).path("status").asText()).orElse("");
    }

    private static List<JsonNode> chargesOf(String code) {
        String id = appointment(code);
        return hub.database().inTransaction(c -> CanonicalStore.payloads(c, "Charge")).values().stream()
                .map(ClinicDayIT::tree).filter(n -> id.equals(n.path("appointmentId").asText())).toList();
    }

    private static String state() {
        return "; the day:\n" + log + "\n" + Waits.hubState(hub);
    }

    @Test
    void everyAppointmentIsOneEventInGoogleAndTheCancelledOneIsRemovedOnce() {
        List<String> codes = new ArrayList<>(List.of("200001", "200002", "200003", "200004"));
        codes.addAll(java.util.stream.IntStream.rangeClosed(1, 16).mapToObj(i -> String.valueOf(300000 + i)).toList());
        List<ServeEvent> inserts = calendarWrites().stream().filter(e -> e.getRequest().getMethod().getName()
                .equals("POST") && e.getRequest().getHeader("X-HTTP-Method-Override") == null).toList();
        for (String code : codes) {
            String event = GoogleCalendarConnector.eventIdOf(appointment(code));
            assertThat(inserts.stream().filter(e -> e.getRequest().getBodyAsString().contains(event)))
                    .as("inserts of %s's event%s", code, state()).hasSize(1);
        }
        assertThat(inserts).as("one insert per appointment, nothing else").hasSize(codes.size());
        String cancelled = GoogleCalendarConnector.eventIdOf(appointment("300004"));
        assertThat(calendarWrites().stream().filter(e -> e.getRequest().getMethod().getName().equals("DELETE")))
                .as("deletes").singleElement().satisfies(e -> assertThat(e.getRequest().getUrl())
                .contains(cancelled));
    }

    @Test
    void eachMessageReachesItsChannelsStandInExactlyOnce() throws Exception {
        List<String> wamids = new ArrayList<>();
        for (ServeEvent e : whatsAppSends()) {
            assertThat(e.getResponse().getStatus()).isEqualTo(200);
            wamids.add(tree(e.getResponse().getBodyAsString()).at("/messages/0/id").asText());
        }
        List<Messages.StoredMessage> whatsApp = messages("WHATSAPP");
        assertThat(whatsApp).as("WhatsApp messages" + state()).isNotEmpty();
        assertThat(wamids).as("what the Graph API was sent is what the hub says it sent, once each")
                .containsExactlyInAnyOrderElementsOf(whatsApp.stream().map(Messages.StoredMessage::externalId)
                        .toList());

        List<Messages.StoredMessage> sms = messages("SMS");
        assertThat(sms).as("SMS messages" + state()).isNotEmpty();
        Map<String, List<SmscStandIn.Submit>> bySms = smsc.submits().stream().collect(Collectors.groupingBy(
                s -> s.destination() + "#" + (s.reference() < 0 ? s.messageId() : String.valueOf(s.reference()))));
        assertThat(bySms).as("one SMS (all its segments) per message").hasSize(sms.size());
        Set<String> acknowledged = smsc.submits().stream().map(SmscStandIn.Submit::messageId)
                .collect(Collectors.toSet());
        assertThat(sms).allSatisfy(m -> assertThat(acknowledged).as(m.businessKey()).contains(m.externalId()));

        List<Messages.StoredMessage> email = messages("EMAIL");
        assertThat(email).as("e-mails" + state()).isNotEmpty();
        Map<String, Long> mailsTo = new TreeMap<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            Arrays.stream(m.getAllRecipients()).forEach(a -> mailsTo.merge(((jakarta.mail.internet.InternetAddress) a)
                    .getAddress(), 1L, Long::sum));
        }
        assertThat(mailsTo).as("mails per recipient").isEqualTo(email.stream().collect(Collectors.groupingBy(
                Messages.StoredMessage::recipient, TreeMap::new, Collectors.counting())));
    }

    @Test
    void thePatientsAnswersOnWhatsAppAndSmsConfirmOrCancelAndTheClinicSystemIsTold() throws Exception {
        assertThat(answered).as("answers given" + state()).hasSizeGreaterThanOrEqualTo(14);
        assertThat(status("300004")).isEqualTo("CANCELLED");
        assertThat(status("300005")).isEqualTo("NO_SHOW");
        for (String code : List.of("300001", "300002", "300003", "300006", "300015", "300016")) {
            assertThat(status(code)).as(code).isEqualTo("ATTENDED");
        }
        Map<String, Long> intents = new TreeMap<>();
        hub.database().read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("select intent, count(*) from patient_reply"
                    + " group by intent")) {
                while (rs.next()) {
                    intents.put(rs.getString(1), rs.getLong(2));
                }
            }
            return null;
        });
        assertThat(intents).as("every answer once: a \"2\", a question, the others confirm")
                .containsEntry("CANCEL", 1L).containsEntry("UNKNOWN", 1L)
                .containsEntry("CONFIRM", (long) answered.size() - 2);
        List<String> outbox = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("legacy-outbox"))) {
            for (Path f : files.toList()) {
                outbox.addAll(Files.readAllLines(f, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(outbox).anyMatch(l -> l.startsWith("300004;CA;")).anyMatch(l -> l.startsWith("300001;CF;"));
    }

    @Test
    void onlyWhatMayBeBilledIsChargedInvoicedAndReceiptedOnce() {
        assertThat(chargesOf("300001")).as("private" + state()).hasSize(1);
        assertThat(chargesOf("300010")).as("UNIMED: copay and the plan's part").extracting(n -> n.path("payer")
                .asText()).containsExactlyInAnyOrder("PATIENT", "INSURANCE");
        assertThat(chargesOf("300008")).as("a per-session package's session").hasSize(1);
        assertThat(chargesOf("300009")).as("an upfront package's session").isEmpty();
        assertThat(chargesOf("300016")).as("a session its package does not have").isEmpty();
        assertThat(chargesOf("300011")).as("AMIL does not cover P003").isEmpty();
        assertThat(chargesOf("300014")).as("no price").isEmpty();
        assertThat(chargesOf("300005")).as("no-show").isEmpty();
        assertThat(chargesOf("300004")).as("cancelled").isEmpty();
        assertThat(HubTestSupport.count(hub.database(), "select count(*) from clinic_review where resolved_at is null"
                + " and rule = 'insurance-not-covered' and record_id = '" + appointment("300011") + "'")).isEqualTo(1);

        List<JsonNode> invoices = hub.database().inTransaction(c -> CanonicalStore.payloads(c, "Invoice")).values()
                .stream().map(ClinicDayIT::tree).toList();
        List<JsonNode> nfse = invoices.stream().filter(i -> "NFSE".equals(i.path("kind").asText())).toList();
        assertThat(nfse.stream().filter(i -> "AUTHORIZED".equals(i.path("status").asText())))
                .as("every paid service charge but 300015's is an NFS-e" + state()).hasSize(sefin.posts())
                .isNotEmpty();
        assertThat(nfse.stream().filter(i -> "REJECTED".equals(i.path("status").asText()))).singleElement()
                .satisfies(i -> {
                    assertThat(i.path("chargeId").asText()).isEqualTo(chargesOf("300015").get(0).path("id")
                            .asText());
                    assertThat(i.path("rejectionReason").asText()).contains("cpf");
                });
        assertThat(invoices.stream().filter(i -> "NFE".equals(i.path("kind").asText()) && "AUTHORIZED".equals(
                i.path("status").asText()))).as("the product's NF-e").hasSize(1);
        assertThat(sefaz.authorizations()).as("one NF-e authorization").isEqualTo(1);
        long paid = HubTestSupport.count(hub.database(), "select count(*) from xref where system = 'payments' and"
                + " entity_type = 'Payment'");
        assertThat(paid).as("payments").isEqualTo(invoices.size());
        long receipts = hub.database().read(c -> Messages.recent(c, List.of(), 10_000)).stream().filter(m ->
                "receipt".equals(m.purpose()) && Set.of(MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)
                        .contains(m.status())).count();
        assertThat(receipts).as("a receipt per authorized invoice (where consent allows)").isPositive()
                .isLessThanOrEqualTo(invoices.size() - 1);
    }

    @Test
    void theReconciliationFindsThePlantedMismatchesAndNothingElse() {
        List<Reconciliation.Finding> findings = hub.database().inTransaction(c -> new Reconciliation(SP, day)
                .run(c, day));
        String enrollment = hub.database().inTransaction(c -> CanonicalStore.referencedId(c, "legacy-clinic",
                "PackageEnrollment", "990")).orElseThrow();
        String unpaid = hub.database().inTransaction(c -> CanonicalStore.referencedId(c, "legacy-clinic", "Charge",
                "800002")).orElseThrow();
        assertThat(findings).as("findings" + state()).extracting(f -> f.rule() + " " + f.id())
                .containsExactlyInAnyOrder(
                        Reconciliation.ATTENDED_NOT_CHARGED + " " + appointment("200001"),
                        Reconciliation.ATTENDED_NOT_CHARGED + " " + appointment("300011"),
                        Reconciliation.ATTENDED_NOT_CHARGED + " " + appointment("300014"),
                        Reconciliation.CHARGED_NOT_PAID + " " + unpaid,
                        Reconciliation.PAID_NOT_INVOICED + " " + chargesOf("300015").get(0).path("id").asText(),
                        Reconciliation.PACKAGE_SESSIONS_MISMATCH + " " + enrollment);
        assertThat(dataDir.resolve("reports")).isDirectoryContaining(p -> p.getFileName().toString()
                .startsWith("reconcile-"));
        List<DeadLetter> letters = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        assertThat(letters).as("dead letters: the planted two only").extracting(DeadLetter::connector)
                .containsExactlyInAnyOrder("flow-clinic", "nfse");
        assertThat(letters).filteredOn(d -> d.connector().equals("flow-clinic")).singleElement().satisfies(d ->
                assertThat(d.rules()).containsExactly("package-exhausted"));
        assertThat(letters).filteredOn(d -> d.connector().equals("nfse")).singleElement().satisfies(d ->
                assertThat(d.violations()).contains("cpf"));
    }

    @Test
    void packagesNeverGoBelowZeroAndNothingIsSentTwiceWhenTheEventsComeAgain() {
        assertThat(republished).as("appointment events published again").isGreaterThanOrEqualTo(
                PACKAGE_APPOINTMENTS.size());
        assertThat(after).as("what the stand-ins received, the charges, the dead letters and the balances, "
                + "before and after the events came again").isEqualTo(before);
        // Google: no old content (a superseded event gives no command); the latest event's command goes again only
        // when a record it carries changed since it was delivered (the package's balance, for 200004), and then
        // with the content Google already has
        List<ServeEvent> writes = new ArrayList<>(calendarWrites());
        java.util.Collections.reverse(writes); // oldest first
        for (ServeEvent again : writes.subList(calendarWritesBefore, writes.size())) {
            assertThat(again.getRequest().getHeader("X-HTTP-Method-Override")).as("an update, not a second insert")
                    .isEqualTo("PATCH");
            String url = again.getRequest().getUrl();
            String eventId = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            ServeEvent previous = writes.subList(0, calendarWritesBefore).stream().filter(e -> e.getRequest()
                    .getUrl().contains("/" + eventId + "?") || e.getRequest().getBodyAsString().contains("\""
                    + eventId + "\"")).reduce((x, y) -> y).orElseThrow(() -> new AssertionError("an update of an "
                    + "event Google was never sent: " + url));
            assertThat(withoutId(again.getRequest().getBodyAsString())).as("what Google already has")
                    .isEqualTo(withoutId(previous.getRequest().getBodyAsString()));
        }
        String enrollment = hub.database().inTransaction(c -> CanonicalStore.referencedId(c, "legacy-clinic",
                "PackageEnrollment", "990")).orElseThrow();
        JsonNode e = hub.database().inTransaction(c -> CanonicalStore.payload(c, "PackageEnrollment", enrollment))
                .map(ClinicDayIT::tree).orElseThrow();
        assertThat(e.path("sessionsUsed").asInt()).isEqualTo(1);
        assertThat(e.path("sessionsBalance").asInt()).isZero();
        assertThat(HubTestSupport.count(hub.database(), "select count(*) from event where type = "
                + "'package.session-used'")).as("sessions used: 200004, 300008, 300009").isEqualTo(3);
    }
}
