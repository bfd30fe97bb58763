package dev.ponte.connectors.email;

import dev.ponte.spi.SendRate;
import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;
import dev.ponte.spi.OutboundMessage;

import java.time.Duration;
import java.util.List;

/**
 * {@code email}: the e-mail channel of the hub's patient messages.
 * <ul>
 *   <li>hub → patient ({@link EmailSink}): each {@code Message} command becomes one MIME message
 *       ({@link MimeMessages}: plain text and HTML alternatives, and an appointment's iCalendar invitation from
 *       {@link Invitations}) sent through camel-mail to the clinic's SMTP server ({@link SmtpServer}); SMTP replies
 *       are classified by {@link SmtpErrors}; at most {@code messages-per-second} per second
 *       ({@link SendRate});</li>
 *   <li>mailbox → hub ({@link ImapRoutes}, when the {@code imap-*} options are given): bounces (delivery status
 *       notifications) of the hub's messages are reported as FAILED, patients' replies as replies, to
 *       {@link dev.ponte.spi.MessageEvents} ({@link InboundMail}). What a reply means is the hub's.</li>
 * </ul>
 * The direction is {@link Direction#SINK}: statuses and replies go to {@code MessageEvents}, not through the inbound
 * pipeline, so the connector reads no canonical entity.
 */
public final class EmailConnector implements Connector {

    public static final String TYPE = "email";

    private static final String ADDRESS = "[^@\\s<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+";
    private static final ConfigValidator AN_ADDRESS = ConfigValidator.matching(ADDRESS,
            "an e-mail address such as agenda@clinica.com.br (without a display name)");
    private static final ConfigValidator A_HOST = ConfigValidator.matching("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?",
            "a host name or IP address such as smtp.gmail.com, without scheme or port");

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Sends patient messages as e-mail over SMTP, with appointment invitations as iCalendar, and reports "
                    + "bounces and replies read over IMAP",
            Direction.SINK, List.of(), List.of(OutboundMessage.ENTITY),
            List.of(
                    ConfigField.required("host", ConfigType.STRING, "Host name of the SMTP server that sends the "
                            + "clinic's mail (the provider's \"outgoing mail server\": smtp.gmail.com for Google "
                            + "Workspace, smtp.office365.com for Microsoft 365, or your transactional service's, "
                            + "e.g. email-smtp.sa-east-1.amazonaws.com)").validatedBy(A_HOST),
                    ConfigField.optional("port", ConfigType.PORT, "587", "Port of the SMTP server: 587 with "
                            + "security starttls (submission, the usual one), 465 with security ssl"),
                    ConfigField.choice("security", "starttls", "How the SMTP connection is protected: starttls "
                            + "(plain connection upgraded to TLS, which is then required; port 587), ssl (TLS from "
                            + "the start, smtps; port 465) or none (no encryption: only for a relay on the local "
                            + "network)", "starttls", "ssl", "none"),
                    ConfigField.optional("username", ConfigType.STRING, null, "User name for SMTP authentication, "
                            + "usually the sending mailbox's address (Google Workspace, Microsoft 365) or the SMTP "
                            + "user of your mail service's console; leave out with password for a server that "
                            + "relays without authentication"),
                    ConfigField.secret("password", "Password for SMTP authentication: an app password (Google "
                            + "account > Security > App passwords; Microsoft 365 app password) or the SMTP "
                            + "credential of your mail service's console", false),
                    ConfigField.required("from", ConfigType.STRING, "Sender address of every message (From), a "
                            + "mailbox or alias the SMTP account may send as, e.g. agenda@clinica.com.br; its domain "
                            + "ends the Message-IDs, and patients' replies go to it unless reply-to is set")
                            .validatedBy(AN_ADDRESS),
                    ConfigField.optional("from-name", ConfigType.STRING, null, "Display name of the sender shown "
                            + "to patients, e.g. the clinic's name (Clínica Bella Pele); also the invitations' "
                            + "organizer name"),
                    ConfigField.optional("reply-to", ConfigType.STRING, null, "Address patients' replies go to "
                            + "(Reply-To), when not the from address; give the IMAP mailbox here so the hub reads "
                            + "them").validatedBy(AN_ADDRESS),
                    ConfigField.optional("timeout", ConfigType.DURATION, "10s", "Connect, read and write timeout "
                            + "of each SMTP and IMAP connection, and of the health check")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(2))),
                    ConfigField.optional("messages-per-second", ConfigType.INT, "5", "Messages per second sent at "
                            + "most (your provider's sending rate: Google Workspace and Microsoft 365 allow a few per "
                            + "second, transactional services more)")
                            .validatedBy(ConfigValidator.between(1, 1000)),
                    ConfigField.optional("smtputf8", ConfigType.BOOLEAN, "false", "Whether the SMTP server takes "
                            + "internationalised addresses (RFC 6531 SMTPUTF8: Gmail, Microsoft 365 and most current "
                            + "servers do): true sends to an address with accents before the @ (inês@...); false "
                            + "refuses such a recipient with its reason (the hub tries the patient's next channel). "
                            + "Accents after the @ are always sent, as the domain's ASCII (punycode) form"),
                    ConfigField.optional("imap-host", ConfigType.STRING, null, "Host name of the IMAP server of "
                            + "the mailbox that receives bounces (they return to from) and patients' replies (to "
                            + "reply-to when set, else to from): the provider's \"incoming mail server\", "
                            + "imap.gmail.com, outlook.office365.com; leave out, with imap-username and "
                            + "imap-password, to read nothing").validatedBy(A_HOST),
                    ConfigField.optional("imap-port", ConfigType.PORT, "993", "Port of the IMAP server: 993 with "
                            + "imap-security ssl, 143 with starttls"),
                    ConfigField.choice("imap-security", "ssl", "How the IMAP connection is protected: ssl (imaps, "
                            + "port 993, the usual one), starttls (port 143, TLS then required) or none",
                            "ssl", "starttls", "none"),
                    ConfigField.optional("imap-username", ConfigType.STRING, null, "User name of the IMAP mailbox, "
                            + "usually its address"),
                    ConfigField.secret("imap-password", "Password of the IMAP mailbox (an app password at Google "
                            + "or Microsoft 365)", false),
                    ConfigField.optional("imap-folder", ConfigType.STRING, "INBOX", "Folder read for bounces and "
                            + "replies; every unread mail in it is read and marked read, so use a mailbox (or a "
                            + "folder filled by a filter) that only the hub reads"),
                    ConfigField.optional("imap-poll-interval", ConfigType.DURATION, "1m", "How often the IMAP "
                            + "folder is read")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(500), Duration.ofHours(24)))),
            List.of(
                    ConfigRule.allOrNone(List.of("password", "username"), "give username and password together "
                            + "(SMTP authentication), or neither (a relay without authentication)"),
                    ConfigRule.allOrNone(List.of("imap-host", "imap-username", "imap-password"), "give imap-host, "
                            + "imap-username and imap-password together to read bounces and replies, or none of "
                            + "them")));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new EmailInstance(context, new java.util.Properties());
    }
}
