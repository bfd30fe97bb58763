package dev.ponte.connectors.email;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.SendRate;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends one {@code Message} command ({@link OutboundMessage#of}) as the MIME message {@link MimeMessages} builds,
 * through camel-mail's {@code DefaultJavaMailSender} ({@link SmtpServer}; the sender rather than an
 * {@code smtp://} producer endpoint because the sink is called by the hub's own route, one command at a time, and
 * needs Jakarta Mail's exceptions with their SMTP codes, which a producer would wrap).
 * <ul>
 *   <li>success: {@link Sink.Delivery} with the Message-ID without angle brackets (what bounces and replies name) and
 *       {@code sent} or {@code invitation sent};</li>
 *   <li>a recipient that is not an e-mail address: {@link PermanentDeliveryException} (the hub tries the next
 *       channel); an invitation the hub built wrongly (times, zone): permanent too;</li>
 *   <li>a failed send: as {@link SmtpErrors} classifies it;</li>
 *   <li>sandbox mode: the same message, as text, handed to the hub's sandbox recorder ({@code SMTP}, the recipient,
 *       the envelope as headers); nothing is sent and the throughput is not counted.</li>
 * </ul>
 * SMTP takes no idempotency key: after a crash between the server's 250 and the hub's commit the patient can receive
 * the message twice, with the same Message-ID (which mail clients use to show one).
 */
final class EmailSink implements Sink {

    private final ConnectorContext ctx;
    private final SmtpServer server;
    private final MimeMessages messages;
    private final SendRate throughput;
    private final CredentialStatus auth;
    private final SmtpErrors.Keys keys;

    EmailSink(ConnectorContext ctx, SmtpServer server, MimeMessages messages, SendRate throughput,
              CredentialStatus auth) {
        this.ctx = ctx;
        this.server = server;
        this.messages = messages;
        this.throughput = throughput;
        this.auth = auth;
        this.keys = new SmtpErrors.Keys(ctx.config().fullKey("from"), auth);
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        OutboundMessage m = OutboundMessage.of(command);
        String kind = m.invitation() == null ? "message" : m.invitation().cancelled() ? "cancellation" : "invitation";
        String what = kind + " " + m.messageId();
        InternetAddress to;
        try {
            to = MimeMessages.recipient(m);
        } catch (AddressException e) {
            throw new PermanentDeliveryException("e-mail: " + what + " has no e-mail address as its recipient; the "
                    + "hub tries the patient's next channel; fix the patient's e-mail (e.g. ana@example.com), then "
                    + "replay the dead letter if needed");
        }
        if (MimeMessages.internationalised(to) && !Boolean.TRUE.equals(ctx.config().bool("smtputf8"))) {
            throw new PermanentDeliveryException("e-mail: " + what + " is to an internationalised address (accents "
                    + "before the @, RFC 6531), which only a server offering SMTPUTF8 takes; the hub tries the "
                    + "patient's next channel; set " + ctx.config().fullKey("smtputf8") + "=true if your server "
                    + "offers it (Gmail and Microsoft 365 do), or correct the patient's e-mail at the source");
        }
        MimeMessage mime;
        try {
            mime = messages.build(command, m, to, ctx.clock().instant());
        } catch (IllegalArgumentException e) {
            throw new PermanentDeliveryException("e-mail: " + what + " cannot be built: " + e.getMessage()
                    + "; this is the hub's invitation data, report it with the dead letter");
        }
        String id = messages.messageId(command, m);
        if (ctx.config().sandbox()) {
            Map<String, String> envelope = new LinkedHashMap<>();
            envelope.put("Server", server.describe());
            envelope.put("Mail-From", ctx.config().string("from"));
            envelope.put("Rcpt-To", to.getAddress());
            envelope.put("Message-ID", id);
            ctx.sandbox().record(ctx.instance(), command.businessKey(), "SMTP", to.getAddress(), envelope,
                    MimeMessages.text(mime));
            return new Delivery(id, kind + " recorded (sandbox)");
        }
        throughput.acquire();
        try {
            server.send(mime);
        } catch (MessagingException e) {
            throw SmtpErrors.failure(e, what, server.describe(), keys);
        }
        auth.accepted();
        return new Delivery(id, kind + " sent");
    }
}
