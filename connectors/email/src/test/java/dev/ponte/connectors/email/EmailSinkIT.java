package dev.ponte.connectors.email;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink against GreenMail (SMTP with a login, SMTPS with its self-signed certificate) and, for the reply codes
 * GreenMail does not give, the {@link SmtpStandIn}: the message as a mail client reads it, the invitation's
 * calendar, and how each failure is classified.
 */
class EmailSinkIT {

    static final String FROM = "agenda@clinica.example";
    static final String LOGIN = "agenda-login";
    static final String PASSWORD = "s3nha-da-agenda";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path work;
    private GreenMail mail;
    private final List<ConnectorInstance> opened = new ArrayList<>();

    @BeforeEach
    void start() {
        mail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(FROM, LOGIN, PASSWORD)
                        // the patient's mailbox exists: GreenMail would otherwise log its address as it creates it
                        .withUser(Messages.PATIENT, "ana", "ana-pw"));
        mail.start();
    }

    @AfterEach
    void stop() {
        opened.forEach(ConnectorInstance::close);
        mail.stop();
    }

    private Map<String, String> config(int port, String security) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("host", "127.0.0.1");
        c.put("port", String.valueOf(port));
        c.put("security", security);
        c.put("username", LOGIN);
        c.put("password", PASSWORD);
        c.put("from", FROM);
        c.put("from-name", "Clínica Bella Pele");
        c.put("reply-to", "respostas@clinica.example");
        c.put("timeout", "3s");
        c.put("messages-per-second", "50");
        return c;
    }

    private Map<String, String> plain() {
        return config(mail.getSmtp().getPort(), "none");
    }

    private ConnectorInstance open(Map<String, String> options) {
        return open(options, new Properties());
    }

    private ConnectorInstance open(Map<String, String> options, Properties extra) {
        ConnectorInstance i = Instances.open(options, false, work, (a, b, c, d, e, f) -> {
            throw new AssertionError("not in sandbox mode");
        }, null, CLOCK, extra);
        opened.add(i);
        return i;
    }

    private MimeMessage received(int count) {
        assertThat(mail.waitForIncomingEmail(5000, count)).as(count + " mails received").isTrue();
        MimeMessage[] all = mail.getReceivedMessages();
        return all[count - 1];
    }

    // ---- the message ----------------------------------------------------------------------------------------

    @Test
    void aMessageIsSentWithItsHeadersAndPlainAndHtmlAlternatives() throws Exception {
        OutboundCommand command = Messages.reminder();
        Sink.Delivery d = open(plain()).sink().deliver(command);
        MimeMessage m = received(1);

        String messageId = OutboundMessage.of(command).messageId() + "." + MimeMessages.hash(command.businessKey())
                + "@clinica.example";
        assertThat(d).isEqualTo(new Sink.Delivery(messageId, "message sent"));
        assertThat(m.getMessageID()).isEqualTo("<" + messageId + ">");
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo(FROM);
        assertThat(from.getPersonal()).isEqualTo("Clínica Bella Pele");
        assertThat(((InternetAddress) m.getAllRecipients()[0]).getAddress()).isEqualTo(Messages.PATIENT);
        assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("respostas@clinica.example");
        assertThat(m.getSubject()).isEqualTo("Lembrete: Laser facial amanhã às 10:00");
        assertThat(m.getSentDate().toInstant()).isEqualTo(command.time());
        assertThat(m.isMimeType("multipart/alternative")).isTrue();
        Multipart alt = (Multipart) m.getContent();
        assertThat(alt.getCount()).isEqualTo(2);
        assertThat(alt.getBodyPart(0).getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
        assertThat(alt.getBodyPart(0).getContent()).asString().isEqualToNormalizingNewlines(Messages.TEXT);
        assertThat(alt.getBodyPart(1).getContentType()).isEqualToIgnoringCase("text/html; charset=UTF-8");
        assertThat(alt.getBodyPart(1).getContent()).isEqualTo(Messages.HTML);
    }

    @Test
    void withoutHtmlTheTextIsEscapedInAMinimalPageAndTheSubjectIsThePurposesDefault() throws Exception {
        var m = OutboundMessage.of(Messages.invitation(InvitationsTest.invitation(0, false)));
        OutboundCommand command = Messages.command(new OutboundMessage(m.messageId(), "EMAIL", m.recipient(),
                "confirmation", "pt-BR", null, "Sua sessão está <confirmada> & agendada.\nAté logo", null));
        open(plain()).sink().deliver(command);
        MimeMessage received = received(1);
        assertThat(received.getSubject()).isEqualTo("Confirmação do seu atendimento - Clínica Bella Pele");
        String html = (String) ((Multipart) received.getContent()).getBodyPart(1).getContent();
        assertThat(html).contains("<html lang=\"pt-BR\">", "<p>Sua sessão está &lt;confirmada&gt; &amp; agendada."
                + "<br>", "Até logo</p>");
    }

    @Test
    void aRetryOfTheSameCommandIsTheSameMessageWithTheSameIdAndANewMessageHasAnother() throws Exception {
        Sink sink = open(plain()).sink();
        OutboundCommand command = Messages.reminder();
        String first = sink.deliver(command).externalId();
        assertThat(sink.deliver(command).externalId()).isEqualTo(first);
        assertThat(received(2).getMessageID()).isEqualTo(mail.getReceivedMessages()[0].getMessageID());
        assertThat(sink.deliver(Messages.reminder()).externalId()).isNotEqualTo(first);
    }

    @Test
    void anAddressWithAccentsBeforeTheAtIsRefusedWithItsReasonUnlessTheServerTakesSmtpUtf8() {
        Sink sink = open(plain()).sink();
        assertThatThrownBy(() -> sink.deliver(Messages.to("inês.9422@hotmail.com"))).isInstanceOfSatisfying(
                PermanentDeliveryException.class, e -> assertThat(e.getMessage()).contains("internationalised",
                        "SMTPUTF8", "ponte.connectors.kit.smtputf8=true", "next channel").doesNotContain("inês"));
        assertThat(mail.getReceivedMessages()).as("nothing sent to a mangled address").isEmpty();
    }

    @Test
    void accentsAfterTheAtGoAsTheDomainsAsciiForm() throws Exception {
        open(plain()).sink().deliver(Messages.to("ana@clínica.example"));
        assertThat(((InternetAddress) received(1).getAllRecipients()[0]).getAddress())
                .isEqualTo("ana@xn--clnica-4va.example");
    }

    // ---- invitations ----------------------------------------------------------------------------------------

    @Test
    void anInvitationIsACalendarAlternativeAndAnIcsAttachmentThenUpdatedThenCancelled() throws Exception {
        Sink sink = open(plain()).sink();
        sink.deliver(Messages.invitation(InvitationsTest.invitation(0, false)));
        MimeMessage first = received(1);
        assertThat(first.isMimeType("multipart/mixed")).isTrue();
        Multipart mixed = (Multipart) first.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        Multipart alt = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(alt.getCount()).isEqualTo(3);
        assertThat(alt.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(alt.getBodyPart(1).isMimeType("text/html")).isTrue();
        BodyPart calendarPart = alt.getBodyPart(2);
        assertThat(calendarPart.getContentType()).isEqualToIgnoringCase(
                "text/calendar; charset=UTF-8; method=REQUEST");
        BodyPart attachment = mixed.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("invite.ics");
        assertThat(attachment.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
        assertThat(attachment.isMimeType("application/ics")).isTrue();
        assertInvitation(calendar(attachment), "REQUEST", 0, "CONFIRMED");
        assertInvitation(calendar(calendarPart), "REQUEST", 0, "CONFIRMED");

        sink.deliver(Messages.invitation(InvitationsTest.invitation(1, false)));
        assertInvitation(calendar(attachmentOf(received(2))), "REQUEST", 1, "CONFIRMED");

        Sink.Delivery cancelled = sink.deliver(Messages.invitation(InvitationsTest.invitation(2, true)));
        assertThat(cancelled.detail()).isEqualTo("cancellation sent");
        MimeMessage third = received(3);
        assertThat(third.getSubject()).isEqualTo("Atendimento cancelado - Clínica Bella Pele");
        Multipart thirdAlt = (Multipart) ((Multipart) third.getContent()).getBodyPart(0).getContent();
        assertThat(thirdAlt.getBodyPart(2).getContentType()).endsWithIgnoringCase("method=CANCEL");
        assertInvitation(calendar(attachmentOf(third)), "CANCEL", 2, "CANCELLED");
    }

    private static BodyPart attachmentOf(MimeMessage m) throws Exception {
        return ((Multipart) m.getContent()).getBodyPart(1);
    }

    private static Calendar calendar(Part part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new CalendarBuilder().build(in);
        }
    }

    private static void assertInvitation(Calendar c, String method, int sequence, String status) {
        assertThat(c.getProperty("METHOD").map(Property::getValue)).hasValue(method);
        VEvent e = c.<VEvent>getComponents("VEVENT").get(0);
        assertThat(e.getProperty("UID").map(Property::getValue)).hasValue("appt-5f0c@clinica.example");
        assertThat(e.getProperty("SEQUENCE").map(Property::getValue)).hasValue(String.valueOf(sequence));
        assertThat(e.getProperty("STATUS").map(Property::getValue)).hasValue(status);
        assertThat(e.getProperty("ATTENDEE").map(Property::getValue)).hasValue("mailto:" + Messages.PATIENT);
        assertThat(e.getProperty("DTSTAMP").map(Property::getValue)).hasValue("20261201T120000Z");
        assertThat(Instant.from(((DateProperty<?>) e.getProperty("DTSTART").orElseThrow()).getDate()))
                .isEqualTo(OffsetDateTime.parse(InvitationsTest.START).toInstant());
        assertThat(Instant.from(((DateProperty<?>) e.getProperty("DTEND").orElseThrow()).getDate()))
                .isEqualTo(OffsetDateTime.parse(InvitationsTest.END).toInstant());
    }

    // ---- failures -------------------------------------------------------------------------------------------

    @Test
    void anUnknownRecipientIsPermanentNamingTheCodeNotTheAddress() throws Exception {
        try (SmtpStandIn standIn = new SmtpStandIn(-1)) {
            standIn.refuseAll("550 5.1.1 <" + Messages.PATIENT + ">: Recipient address rejected: User unknown");
            Sink sink = open(config(standIn.port(), "none")).sink();
            assertThatThrownBy(() -> sink.deliver(Messages.reminder())).isInstanceOfSatisfying(
                    PermanentDeliveryException.class, e -> {
                        assertThat(e.getMessage()).contains("SMTP 550 5.1.1", "refused the recipient",
                                "next channel").doesNotContain(Messages.PATIENT);
                        assertThat(e.getCause()).isNull();
                    });
            standIn.refuseAll("553 5.1.3 mailbox name not allowed");
            assertThatThrownBy(() -> sink.deliver(Messages.reminder())).isInstanceOf(PermanentDeliveryException.class)
                    .hasMessageContaining("SMTP 553 5.1.3");
            standIn.refuseAll("451 4.3.0 <" + Messages.PATIENT + ">: Temporary lookup failure");
            assertThatThrownBy(() -> sink.deliver(Messages.reminder())).isInstanceOf(RetriableDeliveryException.class)
                    .hasMessageContaining("SMTP 451 4.3.0").hasMessageNotContaining(Messages.PATIENT);
            assertThat(standIn.refused()).hasSize(3);
        }
    }

    @Test
    void aRecipientThatIsNotAnAddressIsPermanent() {
        Sink sink = open(plain()).sink();
        for (String bad : List.of("+5511991214283", "ana lima", "ana.lima@", "a@b.example, c@d.example")) {
            assertThatThrownBy(() -> sink.deliver(Messages.to(bad))).as(bad).isInstanceOfSatisfying(
                    PermanentDeliveryException.class, e -> assertThat(e.getMessage())
                            .contains("has no e-mail address as its recipient").doesNotContain(bad));
        }
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aWrongPasswordIsRetriedAndTurnsHealthDownNamingTheKeysUntilALoginSucceeds() throws Exception {
        Map<String, String> wrong = plain();
        wrong.put("password", "not-the-password");
        ConnectorInstance instance = open(wrong);
        assertThatThrownBy(() -> instance.sink().deliver(Messages.reminder())).isInstanceOfSatisfying(
                RetriableDeliveryException.class, e -> assertThat(e.getMessage()).contains("535",
                        "ponte.connectors.kit.username", "ponte.connectors.kit.password")
                        .doesNotContain("not-the-password"));
        assertThat(instance.health()).satisfies(h -> {
            assertThat(h.up()).isFalse();
            assertThat(h.detail()).contains("ponte.connectors.kit.username", "ponte.connectors.kit.password")
                    .doesNotContain("not-the-password");
        });
        assertThat(mail.getReceivedMessages()).isEmpty();
        ConnectorInstance right = open(plain());
        assertThat(right.health().up()).as(() -> right.health().detail()).isTrue();
    }

    @Test
    void aServerThatIsDownOrTooSlowIsRetried() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ConnectorInstance instance = open(config(closed, "none"));
        assertThatThrownBy(() -> instance.sink().deliver(Messages.reminder())).isInstanceOf(
                RetriableDeliveryException.class).hasMessageContaining("could not be reached");
        assertThat(instance.health()).satisfies(h -> {
            assertThat(h.up()).isFalse();
            assertThat(h.detail()).contains("unreachable", "127.0.0.1:" + closed);
        });
        try (ServerSocket silent = new ServerSocket(0)) { // accepts, never greets
            Map<String, String> quick = config(silent.getLocalPort(), "none");
            quick.put("timeout", "300ms");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> open(quick).sink().deliver(Messages.reminder())).isInstanceOf(
                    RetriableDeliveryException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the timeout").isLessThan(3000);
        }
    }

    @Test
    void aServerWithoutStarttlsIsRefusedWhenStarttlsIsRequired() {
        // GreenMail's SMTP offers no STARTTLS: the password must not go over a plain connection
        ConnectorInstance instance = open(config(mail.getSmtp().getPort(), "starttls"));
        assertThatThrownBy(() -> instance.sink().deliver(Messages.reminder())).isInstanceOf(
                RetriableDeliveryException.class);
        assertThat(instance.health().up()).isFalse();
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    // ---- SSL, sandbox ---------------------------------------------------------------------------------------

    @Test
    void smtpsWithTheServersCertificateTrustedByTheTestOnly() throws Exception {
        Map<String, String> ssl = config(mail.getSmtps().getPort(), "ssl");
        ConnectorInstance untrusted = open(ssl);
        assertThatThrownBy(() -> untrusted.sink().deliver(Messages.reminder()))
                .as("GreenMail's self-signed certificate is not in the JVM's trust store")
                .isInstanceOf(RetriableDeliveryException.class);
        Properties trustGreenMail = new Properties();
        trustGreenMail.put("mail.smtps.ssl.socketFactory", new DummySSLSocketFactory());
        trustGreenMail.put("mail.smtps.ssl.checkserveridentity", "false");
        ConnectorInstance trusting = open(ssl, trustGreenMail);
        assertThat(trusting.health().up()).as(() -> trusting.health().detail()).isTrue();
        trusting.sink().deliver(Messages.reminder());
        assertThat(received(1).getSubject()).isEqualTo("Lembrete: Laser facial amanhã às 10:00");
    }

    @Test
    void sandboxModeRecordsTheMessageAsTextAndSendsNothing() throws Exception {
        List<String> recorded = new ArrayList<>();
        ConnectorInstance sandbox = Instances.open(plain(), true, work, (instance, key, method, target, headers,
                body) -> {
            recorded.add(instance + "|" + key + "|" + method + "|" + target + "|" + headers.get("Message-ID"));
            recorded.add(body);
            assertThat(headers.toString()).doesNotContain(PASSWORD);
        }, null, CLOCK, new Properties());
        opened.add(sandbox);
        OutboundCommand command = Messages.invitation(InvitationsTest.invitation(0, false));
        Sink.Delivery d = sandbox.sink().deliver(command);
        assertThat(d.detail()).isEqualTo("invitation recorded (sandbox)");
        assertThat(recorded.get(0)).isEqualTo("kit|" + command.businessKey() + "|SMTP|" + Messages.PATIENT + "|"
                + d.externalId());
        assertThat(recorded.get(1)).contains("Message-ID: <" + d.externalId() + ">", "multipart/mixed",
                "text/calendar; charset=UTF-8; method=REQUEST", "invite.ics").doesNotContain(PASSWORD);
        assertThat(sandbox.health().up()).isTrue();
        assertThat(sandbox.routes()).isNull();
        assertThat(mail.getReceivedMessages()).isEmpty();

        // production sends the very same text
        open(plain()).sink().deliver(command);
        assertThat(AsSent.text(received(1))).isEqualTo(recorded.get(1));
    }
}
