package dev.ponte.connectors.email;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.MessageEvents;
import jakarta.mail.Message;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.MailEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * The route {@code <instance>-imap}: camel-mail's {@code imap}/{@code imaps} consumer polls {@code imap-folder} every
 * {@code imap-poll-interval} for unread mail ({@code unseen=true}), reading it without marking it read
 * ({@code peek=true}) and as the raw {@link Message} ({@code mapMailMessage=false}); {@link InboundMail} says what each
 * one is:
 * <ul>
 *   <li>a bounce: {@link MessageEvents#status} FAILED for the original Message-ID, with the DSN status (e.g.
 *       {@code 5.1.1}) as error code and {@code bounced} as title: the hub then tries the patient's next channel;</li>
 *   <li>a reply: {@link MessageEvents#reply} with the reply's Message-ID, the sender's address, the Message-ID it
 *       answers, its first lines above the quote and its date;</li>
 *   <li>anything else: nothing (logged at DEBUG, by message number only).</li>
 * </ul>
 * A mail handled (or ignored) is marked read by camel-mail. When the hub cannot record it ({@code MessageEvents}
 * throws) or the mail cannot be read, the exchange fails and camel-mail leaves it unread: the next poll retries it.
 * Nothing logged holds an address, a subject or a text. The password is set on the endpoint, never in its URI.
 */
final class ImapRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ImapRoutes.class);

    private final ConnectorContext ctx;
    private final InboundMail inbound;
    private final Properties extra;

    /** @param extra further session properties; empty in production (tests use it to trust a test certificate) */
    ImapRoutes(ConnectorContext ctx, InboundMail inbound, Properties extra) {
        this.ctx = ctx;
        this.inbound = inbound;
        this.extra = extra;
    }

    /** The route's id. */
    String routeId() {
        return ctx.instance() + "-imap";
    }

    @Override
    public void configure() {
        var c = ctx.config();
        String security = c.string("imap-security");
        String protocol = "ssl".equals(security) ? "imaps" : "imap";
        // the endpoint's URI holds every option but the password, so that two instances reading different
        // mailboxes (or the same one differently) never share a cached endpoint; the password is set on it below
        MailEndpoint endpoint = getContext().getEndpoint(protocol + "://" + c.string("imap-host") + ":"
                + c.integer("imap-port") + "?username=RAW(" + c.string("imap-username") + ")"
                + "&folderName=RAW(" + c.string("imap-folder") + ")"
                + "&unseen=true&peek=true&mapMailMessage=false&delete=false&closeFolder=false&disconnect=false"
                + "&maxMessagesPerPoll=50&initialDelay=0&delay=" + c.millis("imap-poll-interval")
                + "&connectionTimeout=" + c.millis("timeout"), MailEndpoint.class);
        var config = endpoint.getConfiguration();
        config.setPassword(c.string("imap-password"));
        Properties props = new Properties();
        String p = "mail." + protocol + ".";
        props.setProperty(p + "timeout", String.valueOf(c.millis("timeout")));
        props.setProperty(p + "writetimeout", String.valueOf(c.millis("timeout")));
        props.setProperty(p + "ssl.checkserveridentity", "true");
        if ("starttls".equals(security)) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }
        props.putAll(extra);
        config.setAdditionalJavaMailProperties(props);

        from(endpoint).routeId(routeId()).errorHandler(noErrorHandler()).process(this::handle);
    }

    private void handle(Exchange exchange) {
        Message mail = exchange.getIn().getBody(Message.class);
        int number = mail == null ? -1 : mail.getMessageNumber();
        InboundMail.Kind kind;
        try {
            kind = inbound.classify(mail);
        } catch (Exception e) {
            LOG.warn("{}: mail #{} of {} could not be read ({}); left unread, retried at the next poll",
                    ctx.instance(), number, ctx.config().string("imap-folder"), e.getClass().getSimpleName());
            throw new MailNotHandled("mail #" + number + " could not be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            if (kind instanceof InboundMail.Bounce b) {
                boolean changed = ctx.messages().status(new MessageEvents.StatusUpdate(ctx.instance(),
                        b.originalId(), MessageEvents.DeliveryStatus.FAILED, b.at(), b.status(), "bounced"));
                LOG.info("{}: bounce{} of message {} reported{}", ctx.instance(),
                        b.status() == null ? "" : " (" + b.status() + ")", b.originalId(),
                        changed ? "" : " (no change)");
            } else if (kind instanceof InboundMail.Reply r) {
                MessageEvents.Intent intent = ctx.messages().reply(new MessageEvents.PatientReply(
                        ctx.instance(), r.id(), r.from(), r.inReplyTo(), r.text(), null, r.at()));
                LOG.info("{}: reply to message {} reported: {}", ctx.instance(), r.inReplyTo(), intent);
            } else if (kind instanceof InboundMail.Ignored i) {
                LOG.debug("{}: mail #{} ignored: {}", ctx.instance(), number, i.why());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: mail #{} could not be reported to the hub ({}); left unread, retried at the next poll",
                    ctx.instance(), number, e.getClass().getSimpleName());
            throw new MailNotHandled("mail #" + number + " could not be reported to the hub ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The exchange fails so that camel-mail leaves the mail unread; the message holds no content. */
    static final class MailNotHandled extends RuntimeException {
        MailNotHandled(String message) {
            super(message + "; left unread for the next poll", null, false, false);
        }
    }
}
