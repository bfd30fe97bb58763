package dev.ponte.connectors.email;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.MessageEvents;
import dev.ponte.testkit.RecordingMessageEvents;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The IMAP route against GreenMail's IMAP server: bounces and replies delivered to the clinic's mailbox are reported
 * to {@link RecordingMessageEvents}, other mail is ignored, every mail handled is marked read, and a mail the hub
 * could not record stays unread until a later poll records it.
 */
class EmailImapIT {

    static final String ORIGINAL = "5f0c-msg-1.0a1b2c3d4e5f@clinica.example";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path work;
    private GreenMail mail;
    private GreenMailUser mailbox;
    private final RecordingMessageEvents events = new RecordingMessageEvents();
    private ConnectorInstance instance;
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        mail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.IMAP}))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(EmailSinkIT.FROM, EmailSinkIT.LOGIN,
                        EmailSinkIT.PASSWORD));
        mail.start();
        mailbox = mail.getUserManager().getUserByEmail(EmailSinkIT.FROM);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("host", "127.0.0.1");
        c.put("port", String.valueOf(mail.getSmtp().getPort()));
        c.put("security", "none");
        c.put("from", EmailSinkIT.FROM);
        c.put("imap-host", "127.0.0.1");
        c.put("imap-port", String.valueOf(mail.getImap().getPort()));
        c.put("imap-security", "none");
        c.put("imap-username", EmailSinkIT.LOGIN);
        c.put("imap-password", EmailSinkIT.PASSWORD);
        c.put("imap-poll-interval", "500ms");
        c.put("timeout", "3s");
        instance = Instances.open(c, false, work, (a, b, d, e, f, g) -> {
            throw new AssertionError("not in sandbox mode");
        }, events, Clock.systemUTC(), new Properties());
        camel = new DefaultCamelContext();
        camel.addRoutes(instance.routes());
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        instance.close();
        mail.stop();
    }

    private void deliver(String raw) throws Exception {
        mailbox.deliver(new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8))));
    }

    private List<StoredMessage> stored() throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(mailbox).getMessages();
    }

    private void awaitAllRead() {
        await("every mail marked read").atMost(WAIT).untilAsserted(() -> assertThat(stored())
                .allSatisfy(m -> assertThat(m.isSet(Flags.Flag.SEEN)).isTrue()));
    }

    static final String DSN = """
            From: Mail Delivery System <MAILER-DAEMON@mx.clinica.example>
            To: agenda@clinica.example
            Subject: Undelivered Mail Returned to Sender
            Date: Tue, 01 Dec 2026 12:01:00 +0000
            Message-ID: <bounce-1@mx.clinica.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B-1"

            --B-1
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mx.clinica.example.
            <ana.lima@paciente.example>: host mx.paciente.example said: 550 5.1.1 User unknown

            --B-1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.clinica.example

            Final-Recipient: rfc822; ana.lima@paciente.example
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <ana.lima@paciente.example>: User unknown

            --B-1
            Content-Type: message/rfc822

            From: =?UTF-8?Q?Cl=C3=ADnica?= <agenda@clinica.example>
            To: ana.lima@paciente.example
            Subject: Lembrete
            Message-ID: <%s>
            Content-Type: text/plain; charset=UTF-8

            Ola Ana
            --B-1--
            """.formatted(ORIGINAL);

    @Test
    void aBounceReportsTheOriginalMessageAsFailedWithItsDsnStatus() throws Exception {
        deliver(DSN);
        await("the bounce reported").atMost(WAIT).untilAsserted(() -> assertThat(events.statuses()).hasSize(1));
        MessageEvents.StatusUpdate s = events.statuses().get(0);
        assertThat(s).isEqualTo(new MessageEvents.StatusUpdate("kit", ORIGINAL, MessageEvents.DeliveryStatus.FAILED,
                Instant.parse("2026-12-01T12:01:00Z"), "5.1.1", "bounced"));
        awaitAllRead();
        assertThat(events.replies()).isEmpty();
    }

    @Test
    void aBounceFromPostmasterWithOnlyTheReturnedHeadersIsFound() throws Exception {
        deliver("""
                From: postmaster@outlook.example
                To: agenda@clinica.example
                Subject: Undeliverable: Lembrete
                Date: Tue, 01 Dec 2026 12:02:00 +0000
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="B-2"

                --B-2
                Content-Type: text/plain; charset=us-ascii

                Delivery has failed to these recipients or groups.

                --B-2
                Content-Type: text/rfc822-headers

                From: agenda@clinica.example
                Message-ID: <%s>
                Subject: Lembrete

                --B-2--
                """.formatted(ORIGINAL));
        await("the bounce reported").atMost(WAIT).untilAsserted(() -> assertThat(events.statuses()).singleElement()
                .satisfies(s -> {
                    assertThat(s.externalId()).isEqualTo(ORIGINAL);
                    assertThat(s.status()).isEqualTo(MessageEvents.DeliveryStatus.FAILED);
                    assertThat(s.errorCode()).isNull();
                }));
    }

    static final String REPLY = """
            From: Ana Lima <ana.lima@paciente.example>
            To: agenda@clinica.example
            Subject: Re: Lembrete
            Date: Tue, 01 Dec 2026 13:05:00 -0300
            Message-ID: <CAF-reply-1@mail.paciente.example>
            In-Reply-To: <%s>
            References: <%s>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8

            Sim, confirmo!
            Obrigada

            Em ter., 1 de dez. de 2026 às 12:00, Clínica Bella Pele <agenda@clinica.example>
            escreveu:

            > Olá Ana, sua sessão de Laser facial é amanhã às 10:00.
            > Responda SIM para confirmar.
            """.formatted(ORIGINAL, ORIGINAL);

    @Test
    void aReplyIsReportedWithItsTextAboveTheQuote() throws Exception {
        deliver(REPLY);
        await("the reply reported").atMost(WAIT).untilAsserted(() -> assertThat(events.replies()).hasSize(1));
        assertThat(events.replies().get(0)).isEqualTo(new MessageEvents.PatientReply("kit",
                "CAF-reply-1@mail.paciente.example", "ana.lima@paciente.example", ORIGINAL, "Sim, confirmo!\nObrigada",
                null, Instant.parse("2026-12-01T16:05:00Z")));
        awaitAllRead();
        assertThat(events.statuses()).isEmpty();
    }

    @Test
    void unrelatedMailAndAutomaticAnswersAreIgnoredAndMarkedRead() throws Exception {
        deliver("""
                From: news@fornecedor.example
                To: agenda@clinica.example
                Subject: Ofertas de dezembro
                Date: Tue, 01 Dec 2026 09:00:00 +0000
                Message-ID: <news-1@fornecedor.example>
                Content-Type: text/plain; charset=UTF-8

                Compre já.
                """);
        deliver("""
                From: someone@else.example
                To: agenda@clinica.example
                Subject: Re: outra conversa
                Message-ID: <r-2@else.example>
                In-Reply-To: <thread-9@else.example>
                Content-Type: text/plain; charset=UTF-8

                Ok.
                """);
        deliver(REPLY.replace("Message-ID: <CAF-reply-1@", "Auto-Submitted: auto-replied\nMessage-ID: <ooo-1@"));
        awaitAllRead();
        assertThat(stored()).hasSize(3);
        assertThat(events.statuses()).isEmpty();
        assertThat(events.replies()).isEmpty();
    }

    @Test
    void aMailTheHubCouldNotRecordStaysUnreadAndIsRecordedAtALaterPoll() throws Exception {
        events.failWith(new IllegalStateException("the hub's store is unavailable"));
        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute("kit-imap").whenFailed(1).create();
        deliver(REPLY);
        assertThat(failed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("a poll failed to report").isTrue();
        assertThat(stored()).singleElement().satisfies(m -> assertThat(m.isSet(Flags.Flag.SEEN)).isFalse());
        events.failWith(null);
        await("the reply reported at a later poll").atMost(WAIT).untilAsserted(() ->
                assertThat(events.replies()).hasSize(1));
        awaitAllRead();
    }
}
