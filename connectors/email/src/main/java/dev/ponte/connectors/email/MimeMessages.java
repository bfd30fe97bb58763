package dev.ponte.connectors.email;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the MIME message of one {@code Message} command:
 * <pre>
 * From: {from-name} &lt;{from}&gt;          To: {recipient}          Reply-To: {reply-to} (when set)
 * Subject: the message's subject, or a default per purpose (pt-BR)
 * Date: the command's time            Message-ID: &lt;{messageId}.{hash of the business key}@{domain of from}&gt;
 * multipart/alternative
 *   text/plain; charset=UTF-8          the text
 *   text/html; charset=UTF-8           the HTML, or the text HTML-escaped in a minimal page
 *   text/calendar; charset=UTF-8; method=REQUEST|CANCEL   (with an invitation)
 * invite.ics (application/ics, attachment; with an invitation, the alternative is then inside multipart/mixed)
 * </pre>
 * The message is a function of the command and the options only (the Date is the command's time, the MIME boundaries
 * derive from the Message-ID): a retry of the same command is the same message, byte for byte, with the same
 * Message-ID, and the sandbox records exactly what production sends. Only the invitation's DTSTAMP is the time the
 * message is built, as iTIP asks. The Message-ID is what bounces and replies name ({@link InboundMail}).
 */
final class MimeMessages {

    private final Session session;
    private final Invitations invitations;
    private final String from;
    private final String fromName;
    private final String replyTo;
    private final String domain;

    MimeMessages(Session session, Invitations invitations, String from, String fromName, String replyTo) {
        this.session = session;
        this.invitations = invitations;
        this.from = from;
        this.fromName = fromName;
        this.replyTo = replyTo;
        this.domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** The domain of the from address: the right part of every Message-ID. */
    String domain() {
        return domain;
    }

    /** {@code {messageId}.{12 hex digits of SHA-256(businessKey)}@{domain}}, without angle brackets. */
    String messageId(OutboundCommand command, OutboundMessage m) {
        String local = m.messageId().replaceAll("[^A-Za-z0-9._-]", "-");
        return local + "." + hash(command.businessKey() == null ? command.id() : command.businessKey()) + "@"
                + domain;
    }

    /**
     * The recipient as an address.
     *
     * @throws AddressException when it is not one address (then no retry helps: the hub tries the next channel)
     */
    static InternetAddress recipient(OutboundMessage m) throws AddressException {
        InternetAddress[] parsed = InternetAddress.parse(m.recipient().strip(), true);
        if (parsed.length != 1 || parsed[0].getAddress().indexOf('@') < 1) {
            throw new AddressException("not one address");
        }
        parsed[0].validate();
        String address = parsed[0].getAddress();
        int at = address.lastIndexOf('@');
        String domain = address.substring(at + 1);
        if (!ascii(domain)) {
            try {
                domain = java.net.IDN.toASCII(domain, java.net.IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new AddressException("its domain has no ASCII form");
            }
        }
        return new InternetAddress(address.substring(0, at) + "@" + domain);
    }

    /** Whether an address needs SMTPUTF8 (RFC 6531): characters beyond ASCII before the {@code @}. */
    static boolean internationalised(InternetAddress address) {
        String a = address.getAddress();
        return !ascii(a.substring(0, Math.max(0, a.lastIndexOf('@'))));
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(ch -> ch < 0x80);
    }

    /**
     * The message, headers updated (ready to write or send).
     *
     * @param stamp when the message is built: the invitation's DTSTAMP
     */
    MimeMessage build(OutboundCommand command, OutboundMessage m, InternetAddress to, Instant stamp)
            throws MessagingException {
        String id = messageId(command, m);
        MimeMessage msg = new FixedIdMessage(session, "<" + id + ">");
        msg.setFrom(fromName == null ? new InternetAddress(from) : address(from, fromName));
        msg.setRecipient(jakarta.mail.Message.RecipientType.TO, to);
        if (replyTo != null) {
            msg.setReplyTo(new InternetAddress[] {new InternetAddress(replyTo)});
        }
        msg.setSubject(subject(m), "UTF-8");
        msg.setSentDate(Date.from(command.time() == null ? stamp : command.time()));
        String boundary = hash(id);

        MimeMultipart alternative = new FixedBoundaryMultipart("alternative", "=_ponte_alt_" + boundary);
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(m.text(), "UTF-8", "plain");
        alternative.addBodyPart(plain);
        MimeBodyPart html = new MimeBodyPart();
        html.setText(m.html() != null ? m.html() : page(m), "UTF-8", "html");
        alternative.addBodyPart(html);

        if (m.invitation() == null) {
            msg.setContent(alternative);
        } else {
            String ics = invitations.calendar(m.invitation(), from, fromName, to.getAddress(), stamp);
            String method = Invitations.method(m.invitation());
            byte[] bytes = ics.getBytes(StandardCharsets.UTF_8);
            MimeBodyPart calendar = new MimeBodyPart();
            String calendarType = "text/calendar; charset=UTF-8; method=" + method;
            calendar.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, calendarType)));
            calendar.setHeader("Content-Type", calendarType);
            alternative.addBodyPart(calendar);

            MimeMultipart mixed = new FixedBoundaryMultipart("mixed", "=_ponte_mix_" + boundary);
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes,
                    "application/ics; name=\"invite.ics\"")));
            attachment.setHeader("Content-Type", "application/ics; name=\"invite.ics\"");
            attachment.setFileName("invite.ics");
            attachment.setDisposition(MimeBodyPart.ATTACHMENT);
            mixed.addBodyPart(attachment);
            msg.setContent(mixed);
        }
        msg.saveChanges();
        return msg;
    }

    /** The message as it goes over the wire (CRLF lines), for the sandbox. */
    static String text(MimeMessage msg) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            msg.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("the message could not be written", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final Map<String, String> SUBJECTS = Map.of(
            "reminder", "Lembrete do seu atendimento",
            "confirmation", "Confirmação do seu atendimento",
            "recall", "Que tal agendar seu retorno?",
            "receipt", "Seu recibo");

    /** The message's subject, or a default per purpose (pt-BR), with the sender's name when it has one. */
    String subject(OutboundMessage m) {
        if (m.subject() != null && !m.subject().isBlank()) {
            return m.subject().strip();
        }
        String base = m.invitation() != null && m.invitation().cancelled() ? "Atendimento cancelado"
                : SUBJECTS.getOrDefault(m.purpose() == null ? "" : m.purpose(), "Mensagem");
        return fromName == null || fromName.isBlank() ? base : base + " - " + fromName.strip();
    }

    /** The text, HTML-escaped, as a minimal page: paragraphs at blank lines, line breaks kept. */
    static String page(OutboundMessage m) {
        String lang = m.language() == null ? "pt-BR" : escape(m.language());
        StringBuilder body = new StringBuilder();
        for (String paragraph : m.text().strip().split("\\R\\s*\\R")) {
            body.append("<p>").append(escape(paragraph.strip()).replaceAll("\\R", "<br>\r\n")).append("</p>\r\n");
        }
        return "<!DOCTYPE html>\r\n<html lang=\"" + lang + "\">\r\n<head><meta charset=\"UTF-8\"></head>\r\n"
                + "<body style=\"font-family: sans-serif; font-size: 15px; line-height: 1.5\">\r\n" + body
                + "</body>\r\n</html>\r\n";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static InternetAddress address(String address, String name) throws MessagingException {
        try {
            return new InternetAddress(address, name, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 is not supported", e);
        }
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    /** A message whose Message-ID is ours, not one Jakarta Mail makes up at {@code saveChanges()}. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String id;

        FixedIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }

    /** A multipart with a given boundary instead of a random one, so that the same command makes the same bytes. */
    private static final class FixedBoundaryMultipart extends MimeMultipart {
        FixedBoundaryMultipart(String subtype, String boundary) {
            super(subtype);
            ParameterList params = new ParameterList();
            params.set("boundary", boundary);
            contentType = new ContentType("multipart", subtype, params).toString();
        }
    }
}
