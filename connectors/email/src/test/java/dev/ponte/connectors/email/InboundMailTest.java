package dev.ponte.connectors.email;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** How a mail of the clinic's mailbox is classified, on parsed messages (the IMAP route is {@code EmailImapIT}). */
class InboundMailTest {

    private static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");
    private final InboundMail inbound = new InboundMail("Clinica.Example", Clock.fixed(NOW, ZoneOffset.UTC));

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theHubsMessageIdsEndWithTheDomainOfFrom() {
        assertThat(inbound.ours("m-1.abc@clinica.example")).isTrue();
        assertThat(inbound.ours("m-1.abc@CLINICA.example")).isTrue();
        assertThat(inbound.ours("m-1.abc@outra-clinica.example")).isFalse();
        assertThat(inbound.ours(null)).isFalse();
    }

    @Test
    void aReplyFoundByItsReferencesOnlyWithAnHtmlBodyAndNoDate() throws Exception {
        InboundMail.Kind kind = inbound.classify(parse("""
                From: ana.lima@paciente.example
                Subject: Re: Lembrete
                Message-ID: <r-1@paciente.example>
                References: <thread-0@paciente.example> <m-1.abc@clinica.example>
                MIME-Version: 1.0
                Content-Type: text/html; charset=UTF-8

                <div>Confirmo &amp; obrigada</div><blockquote>Ol&aacute; Ana</blockquote>
                """));
        assertThat(kind).isEqualTo(new InboundMail.Reply("r-1@paciente.example", "ana.lima@paciente.example",
                "m-1.abc@clinica.example", "Confirmo & obrigada", NOW));
        assertThat(kind.toString()).doesNotContain("ana.lima", "Confirmo");
    }

    @Test
    void aMultipartReplyGivesItsPlainTextNotItsAttachment() throws Exception {
        InboundMail.Kind kind = inbound.classify(parse("""
                From: Ana <ana.lima@paciente.example>
                Message-ID: <r-2@paciente.example>
                In-Reply-To: <m-2.abc@clinica.example>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="X"

                --X
                Content-Type: multipart/alternative; boundary="Y"

                --Y
                Content-Type: text/plain; charset=UTF-8

                Cancelar, por favor
                --Y
                Content-Type: text/html; charset=UTF-8

                <p>Cancelar, por favor</p>
                --Y--
                --X
                Content-Type: text/plain; name="notes.txt"
                Content-Disposition: attachment; filename="notes.txt"

                not this
                --X--
                """));
        assertThat(kind).isInstanceOfSatisfying(InboundMail.Reply.class, r ->
                assertThat(r.text()).isEqualTo("Cancelar, por favor"));
    }

    @Test
    void aBounceInProseFromMailerDaemonFallsBackToTheQuotedMessageIdLine() throws Exception {
        InboundMail.Kind kind = inbound.classify(parse("""
                From: MAILER-DAEMON@mx.example
                Subject: failure notice
                Date: Tue, 01 Dec 2026 12:00:00 +0000
                Content-Type: text/plain; charset=us-ascii

                Sorry, we were unable to deliver your message.
                --- Below this line is a copy of the message.
                Message-ID: <m-3.abc@clinica.example>
                Subject: Lembrete
                """));
        assertThat(kind).isEqualTo(new InboundMail.Bounce("m-3.abc@clinica.example", null,
                Instant.parse("2026-12-01T12:00:00Z")));
    }

    @Test
    void aBounceOfAMessageTheHubDidNotSendIsIgnored() throws Exception {
        assertThat(inbound.classify(parse("""
                From: postmaster@mx.example
                Content-Type: text/plain

                Message-ID: <someone-else@other.example>
                """))).isInstanceOf(InboundMail.Ignored.class);
    }
}
