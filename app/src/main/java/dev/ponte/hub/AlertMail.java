package dev.ponte.hub;

import dev.ponte.spi.ConnectorConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Business alerts by e-mail (optional): {@code ponte.alerts.email.to} (addresses, comma-separated) receives a message
 * when an alert is raised and when it clears, sent through the SMTP server of an {@code email} connector instance
 * ({@code ponte.alerts.email.connector}, or the only one configured) with its host, port, security, username and
 * password. An instance in sandbox mode sends nothing (logged). A failed send is logged and does not stop the alert's
 * event or health.
 */
final class AlertMail {

    private static final Logger LOG = LoggerFactory.getLogger(AlertMail.class);
    static final String TO = "ponte.alerts.email.to";
    static final String CONNECTOR = "ponte.alerts.email.connector";

    private final ConnectorConfig smtp;
    private final List<InternetAddress> to;

    private AlertMail(ConnectorConfig smtp, List<InternetAddress> to) {
        this.smtp = smtp;
        this.to = to;
    }

    /** The alert mail of the settings, or {@code null} when {@value #TO} is not set; problems by key. */
    static AlertMail of(HubSettings s, List<ConnectorConfig> configs, List<String> problems) {
        String to = s.get(TO);
        if (to == null) {
            return null;
        }
        List<InternetAddress> addresses = new java.util.ArrayList<>();
        for (String a : to.split(",")) {
            try {
                InternetAddress address = new InternetAddress(a.strip(), true);
                addresses.add(address);
            } catch (jakarta.mail.internet.AddressException e) {
                problems.add(TO + ": '" + a.strip() + "' is not an e-mail address");
            }
        }
        String named = s.get(CONNECTOR);
        List<ConnectorConfig> email = configs.stream().filter(c -> "email".equals(c.descriptor().type()))
                .filter(c -> named == null || c.instance().equals(named)).toList();
        if (email.size() != 1) {
            problems.add((named != null ? CONNECTOR + ": no email connector instance named '" + named + "'"
                    : TO + ": alerts by e-mail need one email connector instance (" + email.size() + " configured;"
                    + " name one with " + CONNECTOR + ")"));
            return null;
        }
        return new AlertMail(email.get(0), addresses);
    }

    void send(String subject, String text) {
        if (smtp.sandbox()) {
            LOG.info("alert e-mail not sent: connector {} is in sandbox mode ({})", smtp.instance(), subject);
            return;
        }
        Properties p = new Properties();
        String security = smtp.has("security") ? smtp.string("security") : "starttls";
        String protocol = "ssl".equals(security) ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", smtp.string("host"));
        if (smtp.has("port")) {
            p.put("mail." + protocol + ".port", String.valueOf(smtp.integer("port")));
        }
        if ("starttls".equals(security)) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        boolean auth = smtp.has("username");
        p.put("mail." + protocol + ".auth", String.valueOf(auth));
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "10000");
        p.put("mail." + protocol + ".writetimeout", "10000");
        // the server's certificate must name the host: the connector's password never goes to another one
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        try {
            Session session = Session.getInstance(p);
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(smtp.string("from")));
            m.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
            m.setSubject(subject, StandardCharsets.UTF_8.name());
            m.setText(text, StandardCharsets.UTF_8.name());
            try (Transport t = session.getTransport(protocol)) {
                t.connect(smtp.string("host"), smtp.has("port") ? smtp.integer("port") : -1,
                        auth ? smtp.string("username") : null, auth ? smtp.string("password") : null);
                t.sendMessage(m, m.getAllRecipients());
            }
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("alert e-mail '{}' not sent through {} ({}): the alert's event and health are unaffected",
                    subject, smtp.instance(), e.getClass().getSimpleName());
        }
    }
}
