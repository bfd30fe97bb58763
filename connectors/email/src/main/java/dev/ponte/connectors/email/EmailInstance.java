package dev.ponte.connectors.email;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.SendRate;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.Sink;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.apache.camel.RoutesBuilder;

import java.util.Properties;

/**
 * One email instance: its SMTP server, message builder, sink, throughput and login status, and the IMAP route when
 * the {@code imap-*} options are given. In sandbox mode nothing is sent and the mailbox is not read (no message went
 * out, so there is nothing to hear back), as the other connectors read nothing in sandbox mode.
 */
final class EmailInstance implements ConnectorInstance {

    private final ConnectorContext ctx;
    private final SmtpServer server;
    private final CredentialStatus auth;
    private final EmailSink sink;
    private final ImapRoutes imap;

    /**
     * @param extra further Jakarta Mail session properties for SMTP and IMAP; empty in production (the connector
     *              passes none), tests use it to trust a test server's self-signed certificate
     */
    EmailInstance(ConnectorContext ctx, Properties extra) {
        this.ctx = ctx;
        var c = ctx.config();
        this.server = new SmtpServer(c, extra);
        this.auth = new CredentialStatus("the SMTP server refused the login (535 authentication failed): check "
                + c.fullKey("username") + " and " + c.fullKey("password")
                + " (an app password where the provider requires one)");
        MimeMessages messages = new MimeMessages(server.session(), new Invitations(), c.string("from"),
                c.string("from-name"), c.string("reply-to"));
        SendRate throughput = SendRate.realTime(c.integer("messages-per-second"));
        this.sink = new EmailSink(ctx, server, messages, throughput, auth);
        this.imap = c.has("imap-host") && !c.sandbox()
                ? new ImapRoutes(ctx, new InboundMail(messages.domain(), ctx.clock()), extra) : null;
    }

    @Override
    public Sink sink() {
        return sink;
    }

    @Override
    public RoutesBuilder routes() {
        return imap;
    }

    /**
     * Connects to the SMTP server as a send does (EHLO, STARTTLS, AUTH when configured; {@code timeout} bounds it):
     * UP when it accepts; DOWN when it is unreachable or refuses the login (then with {@link CredentialStatus#reason()},
     * as after a send refused with 535). A login accepted clears an earlier refusal.
     */
    @Override
    public Health health() {
        if (ctx.config().sandbox()) {
            return Health.up("sandbox: messages are recorded, not sent to the SMTP server");
        }
        String where = "SMTP server " + server.describe();
        try {
            server.probe();
            auth.accepted();
            return Health.up(where + " accepts " + (ctx.config().has("username") ? "the login of "
                    + ctx.config().fullKey("username") : "connections without login"));
        } catch (AuthenticationFailedException e) {
            auth.rejected();
            return Health.down(auth.reason());
        } catch (MessagingException e) {
            int code = SmtpErrors.chain(e).stream().mapToInt(SmtpErrors::code).filter(n -> n > 0).findFirst()
                    .orElse(-1);
            if (code == 535 || code == 534 || code == 530) {
                auth.rejected();
                return Health.down(auth.reason());
            }
            Throwable io = SmtpErrors.chain(e).stream().filter(t -> t instanceof java.io.IOException).findFirst()
                    .orElse(null);
            return Health.down((auth.isRejected() ? auth.reason() + "; " : "") + where + (io != null
                    ? " is unreachable (" + io.getClass().getSimpleName() + ")"
                    : " refused the connection (" + e.getClass().getSimpleName() + (code > 0 ? " SMTP " + code : "")
                    + "): check " + ctx.config().fullKey("host") + ", " + ctx.config().fullKey("port") + " and "
                    + ctx.config().fullKey("security")));
        } catch (RuntimeException e) {
            return Health.down(where + " could not be checked (" + e.getClass().getSimpleName() + ")");
        }
    }
}
