package dev.ponte.connectors.email;

import dev.ponte.spi.ConnectorConfig;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.component.mail.DefaultJavaMailSender;

import java.util.Properties;

/**
 * The instance's SMTP server: camel-mail's {@link DefaultJavaMailSender} (one connection per message: connect, EHLO,
 * STARTTLS when {@code security} is starttls, AUTH when a username is given, MAIL, RCPT, DATA, QUIT) over a Jakarta
 * Mail session built from the options:
 * <ul>
 *   <li>protocol {@code smtps} for {@code security=ssl}, else {@code smtp}; with {@code starttls} the upgrade is
 *       required ({@code mail.smtp.starttls.required}): a server that does not offer it is refused rather than sent
 *       the password in clear;</li>
 *   <li>the server's certificate is checked against the JVM's trust store and its name against {@code host}
 *       ({@code ssl.checkserveridentity});</li>
 *   <li>{@code timeout} bounds the connect, each read and each write.</li>
 * </ul>
 * Thread safe: the sender opens a transport per message.
 */
final class SmtpServer {

    private final String host;
    private final int port;
    private final String protocol;
    private final String username;
    private final String password;
    private final Session session;
    private final DefaultJavaMailSender sender;

    /**
     * @param config the instance's options
     * @param extra  further session properties; empty in production (tests use it to trust a test certificate)
     */
    SmtpServer(ConnectorConfig config, Properties extra) {
        this.host = config.string("host");
        this.port = config.integer("port");
        String security = config.string("security");
        this.protocol = "ssl".equals(security) ? "smtps" : "smtp";
        this.username = config.string("username");
        this.password = config.string("password");
        String timeout = String.valueOf(config.millis("timeout"));
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.setProperty("mail.transport.protocol", protocol);
        props.setProperty(p + "host", host);
        props.setProperty(p + "port", String.valueOf(port));
        props.setProperty(p + "auth", String.valueOf(username != null));
        props.setProperty(p + "connectiontimeout", timeout);
        props.setProperty(p + "timeout", timeout);
        props.setProperty(p + "writetimeout", timeout);
        props.setProperty(p + "ssl.checkserveridentity", "true");
        if ("starttls".equals(security)) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }
        props.setProperty(p + "from", config.string("from")); // the envelope sender (MAIL FROM)
        if (Boolean.TRUE.equals(config.bool("smtputf8"))) {
            // UTF-8 in the headers and the envelope; MAIL FROM then declares SMTPUTF8 to a server that offers it
            props.setProperty("mail.mime.allowutf8", "true");
        }
        props.putAll(extra);
        this.session = Session.getInstance(props);
        this.sender = new DefaultJavaMailSender();
        sender.setSession(session);
        sender.setJavaMailProperties(props);
        sender.setHost(host);
        sender.setPort(port);
        sender.setProtocol(protocol);
        sender.setUsername(username);
        sender.setPassword(password);
    }

    /** The session messages are built in. */
    Session session() {
        return session;
    }

    /** {@code host:port (smtp|smtps)}, for messages: no credentials. */
    String describe() {
        return host + ":" + port + " (" + protocol + ")";
    }

    /** Sends one message through camel-mail's sender. */
    void send(MimeMessage message) throws MessagingException {
        sender.send(message);
    }

    /**
     * Connects as a send does (EHLO, STARTTLS, AUTH when configured) and disconnects, without sending anything.
     *
     * @throws MessagingException as a send would (refused, timed out, authentication failed)
     */
    void probe() throws MessagingException {
        Transport transport = session.getTransport(protocol);
        try {
            transport.connect(host, port, username, password);
        } finally {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the probe succeeded or failed already; a QUIT that fails changes nothing
            }
        }
    }
}
