package dev.ponte.hub;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.ponte.connectors.sms.SmscStandIn;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.Messages;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fallback across the three channels through a running hub, each against a real protocol stand-in: WhatsApp
 * (WireMock as the Graph API) answers 131026 for everyone → the reminders go to SMS (an embedded SMSC, which
 * acknowledges Ana's and refuses Bia's number for good) → Bia's goes by e-mail (GreenMail's SMTP). Nobody receives
 * the same reminder twice, every step is on the message, and the calendar invitations of the e-mail channel carry
 * the appointment (parsed back with ical4j), withdrawn with METHOD:CANCEL when the clinic cancels it. Nothing
 * sleeps: an injected clock is moved and conditions awaited.
 */
class ChannelFallbackIT {

    private static final String PHONE_ID = "104857600123";
    private static final ZoneId SP = ZoneId.of("America/Sao_Paulo");
    private static final String ANA = "+5511991214283";
    private static final String BIA = "+5511988887777";

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
    private SmscStandIn smsc;
    private GreenMail mail;
    private PonteHub hub;
    // whole milliseconds: the store keeps microseconds and rounds, so a due time of "now" with nanoseconds could be
    // stored a little after a clock that never moves by itself
    private final TestClock clock = new TestClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    private LocalDate day;

    @BeforeEach
    void start() throws Exception {
        graph = new WireMockServer(options().port(HubTestSupport.freePort()).bindAddress("127.0.0.1"));
        graph.start();
        graph.stubFor(post(urlPathEqualTo("/v21.0/" + PHONE_ID + "/messages"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Message Undeliverable.\",\"type\":\"OAuthException\","
                                + "\"code\":131026,\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}")));
        smsc = new SmscStandIn();
        smsc.rejectPermanently(BIA);
        mail = new GreenMail(new ServerSetup(HubTestSupport.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.setUser("agenda@clinicabela.com.br", "agenda", "smtp-it-password");
        mail.start();
        day = LocalDate.ofInstant(clock.now, SP).plusDays(5);
        Map<String, String> settings = new HashMap<>();
        settings.put("ponte.connectors.wa.type", "whatsapp");
        settings.put("ponte.connectors.wa.phone-number-id", PHONE_ID);
        settings.put("ponte.connectors.wa.access-token", "it-access-token-0123456789");
        settings.put("ponte.connectors.wa.app-secret", "it-app-secret-0123456789");
        settings.put("ponte.connectors.wa.verify-token", "it-verify-token-0123456789");
        settings.put("ponte.connectors.wa.base-url", graph.baseUrl());
        settings.put("ponte.connectors.sms.type", "sms");
        smsc.config().forEach((k, v) -> settings.put("ponte.connectors.sms." + k, v));
        settings.putAll(HubTestSupport.emailConnector(mail.getSmtp().getPort()));
        settings.put("ponte.messaging.quiet-hours", "");
        settings.put("ponte.messaging.quiet-days", "");
        settings.put("ponte.messaging.dispatch-interval", "100");
        settings.put("ponte.flows.reminders.lead-times", "48h");
        settings.put("ponte.messaging.templates", HubTestSupport.HOME.resolve("mappings/templates").toString());
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, settings), clock).start(true);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        smsc.close();
        mail.stop();
        graph.stop();
    }

    private void drop(String name, String... agendaRows) throws Exception {
        Path export = Files.createDirectories(dataDir.resolve(name));
        String agenda = "COD_AGENDA;COD_PACIENTE;DATA;HORA_INI;HORA_FIM;COD_PROFISSIONAL;SALA;COD_PROCEDIMENTO;SITUACAO;"
                + "VALOR;CONVENIO;SENHA_AUTORIZACAO;COD_PACOTE_PACIENTE;OBS";
        List<String> rows = new ArrayList<>(List.of(agenda));
        rows.addAll(Arrays.asList(agendaRows));
        write(export.resolve("agenda.csv"), rows.toArray(String[]::new));
        if (name.equals("export")) {
            write(export.resolve("procedimentos.csv"), "CODIGO;DESCRICAO;VALOR;DURACAO_MIN;TIPO;ITEM_LC116;NCM",
                    "P001;Limpeza de pele profunda;180,00;60;P;06.02;");
            write(export.resolve("profissionais.csv"),
                    "CODIGO;NOME;CONSELHO;NUM_CONSELHO;UF_CONSELHO;AGENDA_GOOGLE", "1;Dra. Camila Rocha;CRM;123456;SP;");
            String header = "CODIGO;NOME;CPF;DATA_NASC;SEXO;TELEFONE;CELULAR;EMAIL;ENDERECO;NUMERO;COMPLEMENTO;"
                    + "BAIRRO;CIDADE;UF;CEP;CONVENIO;CARTEIRINHA;ORIGEM;ALERGIAS;OBSERVACOES;DT_CADASTRO;"
                    + "ACEITA_WHATSAPP;ACEITA_SMS;ACEITA_EMAIL";
            write(export.resolve("pacientes.csv"), header,
                    "1;Ana Paula Souza;529.982.247-25;13/05/1983;F;;(11) 99121-4283;ana@example.com;;;;;;;;"
                            + "PARTICULAR;;;;;22/05/2024;S;S;S",
                    "2;Bia Lima;018.159.083-27;01/02/1990;F;;(11) 98888-7777;bia@example.com;;;;;;;;"
                            + "PARTICULAR;;;;;22/05/2024;S;S;S");
        }
        try (var files = Files.list(export)) {
            HubTestSupport.drop(dataDir.resolve("inbox/legacy"), files.toArray(Path[]::new));
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

    private String state() {
        return "; messages " + hub.database().read(c -> Messages.recent(c, List.of(), 20)).stream()
                .map(m -> m.businessKey() + "=" + m.status() + " " + m.tried() + (m.reason() == null ? ""
                        : " (" + m.reason() + ")")).toList() + "; smsc accepted " + smsc.accepted() + "; mails "
                + mail.getReceivedMessages().length + "; " + Waits.hubState(hub);
    }

    private List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains(address))) {
                out.add(m);
            }
        }
        return out;
    }

    /** The text/calendar part of a mail, parsed; empty when it has none. */
    private static Optional<Calendar> calendar(Part part) throws Exception {
        if (part.isMimeType("text/calendar")) {
            String ics = new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(new CalendarBuilder().build(new StringReader(ics)));
        }
        if (part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                Optional<Calendar> c = calendar(p);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        return Optional.empty();
    }

    private static String prop(Calendar cal, String name) {
        return cal.getComponent("VEVENT").map(e -> ((VEvent) e).getProperty(name).map(Property::getValue)
                .orElse(null)).orElse(null);
    }

    @Test
    void aReminderFallsFromWhatsAppToSmsToEmailAndNobodyGetsItTwice() throws Exception {
        String d = day.format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        drop("export", "100;1;" + d + ";15:00;16:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;",
                "101;2;" + d + ";16:00;17:00;1;Sala 1;P001;AG;180,00;PARTICULAR;;;");
        await("the invitations of both appointments sent by e-mail").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(mail.getReceivedMessages()).as(this::state).hasSize(2));
        String ana = appointmentOf("100");
        String bia = appointmentOf("101");
        MimeMessage invitation = mailsTo("ana@example.com").get(0);
        Calendar cal = calendar(invitation).orElseThrow(() -> new AssertionError("no text/calendar part"));
        assertThat(cal.getProperty("METHOD").map(Property::getValue)).contains("REQUEST");
        assertThat(prop(cal, "UID")).isEqualTo(ana + "@ponte.invalid");
        assertThat(prop(cal, "SEQUENCE")).isEqualTo("0");
        VEvent event = (VEvent) cal.getComponent("VEVENT").orElseThrow();
        assertThat(Instant.from(event.getDateTimeStart().getDate()))
                .isEqualTo(ZonedDateTime.of(day.atTime(15, 0), SP).toInstant());
        assertThat(Instant.from(event.getDateTimeEnd().getDate()))
                .isEqualTo(ZonedDateTime.of(day.atTime(16, 0), SP).toInstant());
        assertThat(invitation.getSubject()).contains("Limpeza de pele profunda");
        assertThat(graph.getAllServeEvents()).as("invitations go by e-mail only").isEmpty();
        assertThat(smsc.accepted()).isZero();

        // 48 h before: WhatsApp refuses both (131026); the SMSC takes Ana's and refuses Bia's number for good
        clock.now = day.atTime(16, 0).atZone(SP).minusHours(48).toInstant().plusSeconds(1);
        await("Ana's reminder on SMS, Bia's by e-mail").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(message("reminder:" + ana + ":48h").map(m -> m.channel() + " " + m.status()))
                    .as(this::state).hasValueSatisfying(v -> assertThat(v).isIn("SMS SENT", "SMS DELIVERED"));
            assertThat(message("reminder:" + bia + ":48h").map(m -> m.channel() + " " + m.status()))
                    .as(this::state).contains("EMAIL SENT");
        });
        await("the SMSC's receipt applied to Ana's reminder").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(message("reminder:" + ana + ":48h").map(Messages.StoredMessage::status))
                        .as(this::state).contains(MessageStatus.DELIVERED));
        Messages.StoredMessage toAna = message("reminder:" + ana + ":48h").orElseThrow();
        Messages.StoredMessage toBia = message("reminder:" + bia + ":48h").orElseThrow();
        assertThat(toAna.tried()).containsExactly("WHATSAPP", "SMS");
        assertThat(toBia.tried()).containsExactly("WHATSAPP", "SMS", "EMAIL");
        List<Messages.Step> biaSteps = hub.database().read(c -> Messages.steps(c, toBia.id()));
        assertThat(biaSteps).extracting(s -> s.step() + ":"
                + s.outcome() + ":" + s.channel()).containsSubsequence("channel:QUEUED:WHATSAPP",
                "channel:FAILED:WHATSAPP", "channel:QUEUED:SMS", "channel:FAILED:SMS", "channel:QUEUED:EMAIL",
                "channel:SENT:EMAIL");
        // the reminder has accents: UCS-2, in concatenated segments; what the SMSC took is what the message records
        List<SmscStandIn.Submit> toAnaSms = smsc.submits().stream()
                .filter(sub -> sub.destination().equals(ANA.substring(1))).toList();
        assertThat(toAnaSms).isNotEmpty().allSatisfy(sub -> {
            assertThat(sub.dataCoding()).as("UCS-2").isEqualTo((byte) 0x08);
            assertThat(sub.segments()).isEqualTo(toAnaSms.size());
            assertThat(sub.reference()).isEqualTo(toAnaSms.get(0).reference());
        });
        assertThat(toAnaSms).extracting(SmscStandIn.Submit::segment).containsExactlyInAnyOrder(
                java.util.stream.IntStream.rangeClosed(1, toAnaSms.size()).boxed().toArray(Integer[]::new));
        assertThat(String.join("", toAnaSms.stream().map(SmscStandIn.Submit::text).toList()))
                .startsWith("Olá, Ana! Lembramos do seu horário de Limpeza de pele profunda");
        Optional<Integer> anaParts = hub.database().read(c -> Messages.parts(c, toAna.id()));
        assertThat(anaParts).as("the segments billed").contains(toAnaSms.size());

        // nobody got the same reminder twice: one WhatsApp attempt each, one SMS to Ana, one reminder mail to Bia
        assertThat(graph.getAllServeEvents()).hasSize(2);
        assertThat(smsc.submits()).as("every acknowledged SMS is Ana's reminder").hasSize(toAnaSms.size());
        assertThat(smsc.accepted(BIA)).isZero();
        assertThat(smsc.requests().stream().filter(sub -> sub.destination().equals(BIA.substring(1))))
                .as("Bia's number refused once, not retried").hasSize(1);
        assertThat(mailsTo("ana@example.com")).as("Ana: her invitation only").hasSize(1);
        List<MimeMessage> toBiaMails = mailsTo("bia@example.com");
        assertThat(toBiaMails).as("Bia: her invitation and the reminder").hasSize(2);
        assertThat(toBiaMails.stream().filter(m -> {
            try {
                return m.getSubject().startsWith("Lembrete");
            } catch (Exception e) {
                return false;
            }
        })).hasSize(1);
        assertThat(HubTestSupport.count(hub.database(), "select count(*) from dead_letter where status = 'OPEN'"))
                .as("a message that moved on is no dead letter").isZero();

        // the clinic cancels Ana's appointment: her calendar entry is withdrawn (METHOD:CANCEL, a higher SEQUENCE)
        drop("export2", "100;1;" + d + ";15:00;16:00;1;Sala 1;P001;CA;180,00;PARTICULAR;;;");
        await("Ana's invitation withdrawn").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(mailsTo("ana@example.com")).as(this::state).hasSize(2));
        Calendar cancel = calendar(mailsTo("ana@example.com").get(1)).orElseThrow();
        assertThat(cancel.getProperty("METHOD").map(Property::getValue)).contains("CANCEL");
        assertThat(prop(cancel, "UID")).isEqualTo(ana + "@ponte.invalid");
        assertThat(prop(cancel, "SEQUENCE")).isEqualTo("1");
        assertThat(smsc.submits()).as("no SMS for the cancellation").hasSize(toAnaSms.size());
    }
}
