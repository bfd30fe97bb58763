package dev.ponte.hub;

import org.junit.jupiter.api.Tag;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Appointment reminders through a running hub, end to end: an export dropped in the inbox, the reminder flow, the
 * scheduler moved by an injected clock, the whatsapp connector against a stand-in of the Graph API, Meta's signed
 * webhook (statuses, a patient's "1"), the fallback to a second channel (an http-webhook instance standing for an
 * SMS gateway) after 131026, and a restart in the middle. Nothing sleeps: the clock is moved and conditions awaited.
 */
@Tag("store")
class WhatsAppRemindersIT {

    private static final String PHONE_ID = "104857600123";
    private static final String APP_SECRET = "it-app-secret-0123456789";
    private static final String VERIFY = "it-verify-token-0123456789";
    private static final ZoneId SP = ZoneId.of("America/Sao_Paulo");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A clock the test moves. */
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

    @TempDir
    Path dataDir;
    private WireMockServer graph;
    private PonteHub hub;
    private final TestClock clock = new TestClock(Instant.now());
    private Map<String, String> settings;
    private LocalDate day;

    @BeforeEach
    void start() throws Exception {
        graph = new WireMockServer(options().port(HubTestSupport.freePort()).bindAddress("127.0.0.1"));
        graph.start();
        // Ana's number accepts; Bia's is undeliverable on WhatsApp (131026); the SMS gateway accepts everything
        graph.stubFor(post(urlPathEqualTo("/v21.0/" + PHONE_ID + "/messages")).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.{{randomValue length=12 type='ALPHANUMERIC'}}\"}]}")));
        graph.stubFor(post(urlPathEqualTo("/v21.0/" + PHONE_ID + "/messages")).atPriority(1)
                .withRequestBody(containing("\"to\":\"5511988887777\""))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Message Undeliverable.\",\"type\":\"OAuthException\","
                                + "\"code\":131026,\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}")));
        // Davi's always answers 503: the broker gives up after its attempts, and the message goes on to SMS
        graph.stubFor(post(urlPathEqualTo("/v21.0/" + PHONE_ID + "/messages")).atPriority(1)
                .withRequestBody(containing("\"to\":\"5511966665555\""))
                .willReturn(aResponse().withStatus(503)));
        graph.stubFor(post(urlPathEqualTo("/sms")).willReturn(aResponse().withStatus(202)));
        day = LocalDate.ofInstant(clock.now, SP).plusDays(5);
        settings = new HashMap<>();
        settings.put("ponte.connectors.wa.type", "whatsapp");
        settings.put("ponte.connectors.wa.phone-number-id", PHONE_ID);
        settings.put("ponte.connectors.wa.access-token", "it-access-token-0123456789");
        settings.put("ponte.connectors.wa.app-secret", APP_SECRET);
        settings.put("ponte.connectors.wa.verify-token", VERIFY);
        settings.put("ponte.connectors.wa.base-url", graph.baseUrl());
        settings.put("ponte.connectors.smsgw.type", "http-webhook");
        settings.put("ponte.connectors.smsgw.url", graph.baseUrl() + "/sms");
        settings.put("ponte.connectors.smsgw.signing-secret", "whsec_" + java.util.Base64.getEncoder()
                .encodeToString("it-sms-gateway-secret-32-bytes!!".getBytes(StandardCharsets.UTF_8)));
        settings.put("ponte.messaging.connector.sms", "smsgw");
        settings.put("ponte.messaging.quiet-hours", ""); // quiet hours: MessagingScenariosTest, with the clock
        settings.put("ponte.messaging.quiet-days", "");
        settings.put("ponte.messaging.dispatch-interval", "100");
        settings.put("ponte.messaging.templates", HubTestSupport.HOME.resolve("mappings/templates").toString());
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, settings), clock).start(true);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        graph.stop();
    }

    private void dropExport() throws Exception {
        Path export = Files.createDirectories(dataDir.resolve("export"));
        String d = day.format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        write(export.resolve("procedimentos.csv"), "CODIGO;DESCRICAO;VALOR;DURACAO_MIN;TIPO;ITEM_LC116;NCM",
                "P001;Limpeza de pele profunda;180,00;60;P;06.02;");
        write(export.resolve("profissionais.csv"), "CODIGO;NOME;CONSELHO;NUM_CONSELHO;UF_CONSELHO;AGENDA_GOOGLE",
                "1;Dra. Camila Rocha;CRM;123456;SP;");
        String header = "CODIGO;NOME;CPF;DATA_NASC;SEXO;TELEFONE;CELULAR;EMAIL;ENDERECO;NUMERO;COMPLEMENTO;BAIRRO;"
                + "CIDADE;UF;CEP;CONVENIO;CARTEIRINHA;ORIGEM;ALERGIAS;OBSERVACOES;DT_CADASTRO;ACEITA_WHATSAPP;"
                + "ACEITA_SMS;ACEITA_EMAIL";
        write(export.resolve("pacientes.csv"), header,
                "1;Ana Paula Souza;529.982.247-25;13/05/1983;F;;(11) 99121-4283;;;;;;;;;PARTICULAR;;;;;22/05/2024;S;N;N",
                "2;Bia Lima;018.159.083-27;01/02/1990;F;;(11) 98888-7777;;;;;;;;;PARTICULAR;;;;;22/05/2024;S;S;N",
                "3;Caio Nunes;219.935.181-50;19/08/2000;M;;(11) 97777-6666;;;;;;;;;PARTICULAR;;;;;22/05/2024;N;N;N",
                "4;Davi Reis;390.533.447-05;02/03/1985;M;;(11) 96666-5555;;;;;;;;;PARTICULAR;;;;;22/05/2024;S;S;N");
        String agenda = "COD_AGENDA;COD_PACIENTE;DATA;HORA_INI;HORA_FIM;COD_PROFISSIONAL;SALA;COD_PROCEDIMENTO;SITUACAO;"
                + "VALOR;CONVENIO;SENHA_AUTORIZACAO;COD_PACOTE_PACIENTE;OBS";
        write(export.resolve("agenda.csv"), agenda,
                "100;1;" + d + ";15:00;16:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;",
                "101;2;" + d + ";16:00;17:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;",
                "102;3;" + d + ";17:00;18:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;",
                "103;4;" + d + ";14:00;15:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;");
        Path inbox = dataDir.resolve("inbox/legacy");
        try (var files = Files.list(export)) {
            HubTestSupport.drop(inbox, files.toArray(Path[]::new));
        }
    }

    private static void write(Path file, String... lines) throws Exception {
        Files.write(file, (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private String appointmentOf(String sourceId) {
        return hub.database().read(c -> {
            try (var ps = c.prepareStatement("select canonical_id from xref where entity_type = 'Appointment' "
                    + "and source_id = ?")) {
                ps.setString(1, sourceId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private Optional<Messages.StoredMessage> message(String key) {
        return hub.database().read(c -> Messages.byKey(c, key));
    }

    private List<Messages.StoredMessage> allMessages() {
        return hub.database().read(c -> Messages.recent(c, List.of(), 20));
    }

    private List<ServeEvent> whatsAppSends() {
        return graph.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().endsWith("/messages"))
                .toList();
    }

    private long smsSends() {
        // the gateway also receives the appointment commands of its http-webhook instance: count the messages only
        return graph.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/sms")
                && e.getRequest().getBodyAsString().contains("\"entity\":\"Message\"")).count();
    }

    private String state() {
        return "; messages " + hub.database().read(c -> Messages.recent(c, List.of(), 20)).stream()
                .map(m -> m.businessKey() + "=" + m.status() + (m.reason() == null ? "" : " (" + m.reason() + ")"))
                .toList() + "; graph got " + graph.getAllServeEvents().size() + "; " + Waits.hubState(hub);
    }

    private String webhook() {
        return "http://127.0.0.1:" + hub.settings().get("ponte.http.port") + "/webhooks/whatsapp/wa";
    }

    private HttpResponse<String> postSigned(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(webhook())).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String notification(String value) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1029384756\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"5511900000000\","
                + "\"phone_number_id\":\"" + PHONE_ID + "\"}," + value + "},\"field\":\"messages\"}]}]}";
    }

    private static String status(String wamid, String status, Instant at) {
        return notification("\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\""
                + at.getEpochSecond() + "\",\"recipient_id\":\"5511991214283\"}]");
    }

    private static String textReply(String id, String inReplyTo, String text, Instant at) {
        return notification("\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"5511991214283\"}],"
                + "\"messages\":[{\"from\":\"5511991214283\",\"id\":\"" + id + "\",\"timestamp\":\"" + at.getEpochSecond()
                + "\",\"context\":{\"from\":\"5511900000000\",\"id\":\"" + inReplyTo + "\"},\"type\":\"text\","
                + "\"text\":{\"body\":\"" + text + "\"}}]");
    }

    @Test
    void remindersReachPatientsOnceWithConsentAcrossARestartAndAnAnswerConfirmsTheAppointment() throws Exception {
        dropExport();
        await("the reminders of the three appointments scheduled").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(allMessages()).as(this::state).hasSize(8));
        String ana = appointmentOf("100");
        String bia = appointmentOf("101");
        String caio = appointmentOf("102");
        String davi = appointmentOf("103");

        // 48 h before the first appointment: Ana's and Bia's 48 h reminders are due, Caio has no consent
        clock.now = day.atTime(15, 0).atZone(SP).minusHours(48).toInstant().plusSeconds(1);
        await("Ana's 48 h reminder sent on WhatsApp").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(message("reminder:" + ana + ":48h").map(Messages.StoredMessage::status))
                        .as(this::state).contains(MessageStatus.SENT));
        clock.now = day.atTime(17, 0).atZone(SP).minusHours(48).toInstant().plusSeconds(1);
        await("Bia's 48 h reminder moved to SMS after 131026; Caio's blocked").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    assertThat(message("reminder:" + bia + ":48h").map(Messages.StoredMessage::status))
                            .as(this::state).contains(MessageStatus.SENT);
                    assertThat(message("reminder:" + caio + ":48h").map(Messages.StoredMessage::status))
                            .as(this::state).contains(MessageStatus.BLOCKED);
                });
        Messages.StoredMessage toAna = message("reminder:" + ana + ":48h").orElseThrow();
        assertThat(toAna.channel()).isEqualTo("WHATSAPP");
        assertThat(toAna.externalId()).startsWith("wamid.");
        Messages.StoredMessage toBia = message("reminder:" + bia + ":48h").orElseThrow();
        assertThat(toBia.channel()).isEqualTo("SMS");
        assertThat(toBia.tried()).containsExactly("WHATSAPP", "SMS");
        List<Messages.Step> biaSteps = hub.database().read(c -> Messages.steps(c, toBia.id()));
        assertThat(biaSteps).extracting(s -> s.step() + ":"
                + s.outcome() + ":" + s.channel()).containsSubsequence("channel:QUEUED:WHATSAPP",
                "channel:FAILED:WHATSAPP", "channel:QUEUED:SMS", "channel:SENT:SMS");
        assertThat(message("reminder:" + caio + ":48h").orElseThrow().reason()).contains("no consent for REMINDERS");
        await("Davi's 48 h reminder on SMS once WhatsApp's 503s exhausted the broker's attempts")
                .atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(message("reminder:" + davi + ":48h")
                        .map(m -> m.channel() + " " + m.status())).as(this::state).contains("SMS SENT"));
        Messages.StoredMessage toDavi = message("reminder:" + davi + ":48h").orElseThrow();
        assertThat(toDavi.status()).isEqualTo(MessageStatus.SENT);
        assertThat(hub.database().read(c -> Messages.steps(c, toDavi.id())).stream()
                .filter(st -> st.outcome().equals("FAILED")).findFirst().orElseThrow().reason())
                .contains("the broker gave up");
        assertThat(HubTestSupport.count(hub.database(), "select count(*) from dead_letter where status = 'OPEN'"))
                .as("a message that moved on is no dead letter").isZero();
        assertThat(smsSends()).isEqualTo(2);
        String sentToAna = whatsAppSends().stream().map(e -> e.getRequest().getBodyAsString())
                .filter(b -> b.contains("5511991214283")).findFirst().orElseThrow();
        assertThat(sentToAna).contains("\"type\":\"template\"").contains("ponte_lembrete_consulta")
                .contains("\"Ana\"").contains("\"15:00\"").contains("\"pt_BR\"");

        // Meta's verification and statuses; forged notifications change nothing
        HttpResponse<String> verify = HTTP.send(HttpRequest.newBuilder(URI.create(webhook()
                + "?hub.mode=subscribe&hub.verify_token=" + VERIFY + "&hub.challenge=1158201444")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(verify.body()).isEqualTo("1158201444");
        assertThat(postSigned(status(toAna.externalId(), "delivered", clock.now), "wrong-secret-0123456789")
                .statusCode()).isEqualTo(403);
        assertThat(message("reminder:" + ana + ":48h").orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        assertThat(postSigned(status(toAna.externalId(), "read", clock.now), APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(postSigned(status(toAna.externalId(), "delivered", clock.now), APP_SECRET).statusCode())
                .isEqualTo(200);
        assertThat(message("reminder:" + ana + ":48h").orElseThrow().status()).as("never backwards")
                .isEqualTo(MessageStatus.READ);

        // Ana answers "1": the appointment is CONFIRMED once, through the inbound pipeline, and she gets the answer
        String reply = textReply("wamid.in-" + ana.substring(0, 8), toAna.externalId(), "1", clock.now);
        assertThat(postSigned(reply, APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(postSigned(reply, APP_SECRET).statusCode()).as("Meta's retry").isEqualTo(200);
        await("Ana's appointment confirmed and the answer sent").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String stored = hub.database().read(c -> dev.ponte.store.CanonicalStore.payload(c, "Appointment", ana))
                    .orElseThrow();
            assertThat(stored).as(this::state).contains("\"status\":\"CONFIRMED\"");
            assertThat(message("reply:wamid.in-" + ana.substring(0, 8)).map(Messages.StoredMessage::status))
                    .as(this::state).contains(MessageStatus.SENT);
        });
        assertThat(HubTestSupport.count(hub.database(), "select count(*) from event where type = "
                + "'appointment.status-changed' and subject = '" + ana + "'")).isEqualTo(1);
        assertThat(HubTestSupport.count(hub.database(), "select count(*) from audit_log where action = "
                + "'message.reply'")).isEqualTo(1);

        // the clinic's system moves Bia's appointment to the next day and cancels Davi's: their reminders follow
        String moved = day.plusDays(1).format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        String d = day.format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        Path again = Files.createDirectories(dataDir.resolve("export2")).resolve("agenda.csv");
        write(again, "COD_AGENDA;COD_PACIENTE;DATA;HORA_INI;HORA_FIM;COD_PROFISSIONAL;SALA;COD_PROCEDIMENTO;SITUACAO;"
                        + "VALOR;CONVENIO;SENHA_AUTORIZACAO;COD_PACOTE_PACIENTE;OBS",
                "101;2;" + moved + ";16:00;17:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;",
                "103;4;" + d + ";14:00;15:00;1;Sala 1;P001;CA;180,00;PARTICULAR;;;");
        HubTestSupport.drop(dataDir.resolve("inbox/legacy"), again);
        Instant biaNew = day.plusDays(1).atTime(16, 0).atZone(SP).minusHours(2).toInstant();
        await("Bia's 2 h reminder moved, Davi's cancelled").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(message("reminder:" + bia + ":2h").map(Messages.StoredMessage::scheduledFor)).as(this::state)
                    .contains(biaNew);
            assertThat(message("reminder:" + davi + ":2h").map(Messages.StoredMessage::status)).as(this::state)
                    .contains(MessageStatus.CANCELLED);
        });
        assertThat(message("reminder:" + bia + ":48h").orElseThrow().status()).as("already sent: stays")
                .isEqualTo(MessageStatus.SENT);

        // a restart, then the 2 h reminders: each goes once, the 48 h ones are not sent again
        hub.close();
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, settings), clock).start(true);
        clock.now = day.atTime(15, 0).atZone(SP).minusHours(2).toInstant().plusSeconds(1);
        await("Ana's 2 h reminder sent after the restart").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(message("reminder:" + ana + ":2h").map(Messages.StoredMessage::status))
                        .as(this::state).contains(MessageStatus.SENT));
        long toAnaCount = whatsAppSends().stream().filter(e -> e.getRequest().getBodyAsString()
                .contains("5511991214283")).count();
        assertThat(toAnaCount).as("48 h reminder, the answer, 2 h reminder: once each").isEqualTo(3);
    }
}
