package dev.ponte.connectors.email;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.ParseException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a mail read from the IMAP folder is to the hub:
 * <ul>
 *   <li>a {@link Bounce}: a delivery status notification ({@code multipart/report; report-type=delivery-status},
 *       RFC 3464) or a mail from {@code MAILER-DAEMON}/{@code postmaster}, about one of the hub's messages; the
 *       original Message-ID is read from the returned message ({@code message/rfc822}) or its headers
 *       ({@code text/rfc822-headers}), else from a {@code Message-ID:} line of the text, else from In-Reply-To and
 *       References; the status ({@code 5.1.1}) from the {@code message/delivery-status} part;</li>
 *   <li>a {@link Reply}: a mail whose In-Reply-To or References name one of the hub's messages, that is not an
 *       automatic answer ({@code Auto-Submitted} other than {@code no}, {@code X-Autoreply}, {@code Precedence:
 *       auto_reply}: an out-of-office is not the patient's answer), with the first lines of its plain text above the
 *       quote ({@link ReplyText});</li>
 *   <li>anything else is {@link Ignored}, with a reason that holds no content.</li>
 * </ul>
 * The hub's messages are those whose Message-ID ends with {@code @} the domain of {@code from}
 * ({@link MimeMessages#messageId}). Thread safe.
 */
final class InboundMail {

    /** What a mail is. */
    sealed interface Kind permits Bounce, Reply, Ignored {
    }

    /** A bounce of the hub's message {@code originalId}; {@code status} is the DSN status, or {@code null}. */
    record Bounce(String originalId, String status, Instant at) implements Kind {
    }

    /** A patient's reply to the hub's message {@code inReplyTo}. */
    record Reply(String id, String from, String inReplyTo, String text, Instant at) implements Kind {
        @Override
        public String toString() {
            return "Reply[" + id + "]"; // never the sender or the text
        }
    }

    /** Neither; {@code why} names no content. */
    record Ignored(String why) implements Kind {
    }

    private static final Pattern ID = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern MESSAGE_ID_LINE = Pattern.compile("(?im)^Message-ID:\\s*<([^<>\\s]+)>");
    private static final Pattern STATUS = Pattern.compile("(?im)^Status:\\s*([245]\\.\\d{1,3}\\.\\d{1,3})");
    private static final int MAX_TEXT = 256 * 1024;
    private static final int MAX_DEPTH = 5;

    private final String domainSuffix;
    private final Clock clock;

    /** @param domain the domain of {@code from}, which ends the hub's Message-IDs */
    InboundMail(String domain, Clock clock) {
        this.domainSuffix = "@" + domain.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    /** Whether {@code id} (without angle brackets) is one of the hub's Message-IDs. */
    boolean ours(String id) {
        return id != null && id.toLowerCase(Locale.ROOT).endsWith(domainSuffix);
    }

    Kind classify(Message mail) throws MessagingException, IOException {
        Instant at = at(mail);
        if (isBounce(mail)) {
            Found found = new Found();
            scan(mail, found, 0);
            List<String> candidates = new ArrayList<>(found.ids);
            candidates.addAll(ids(mail.getHeader("In-Reply-To")));
            List<String> references = ids(mail.getHeader("References"));
            Collections.reverse(references);
            candidates.addAll(references);
            for (String id : candidates) {
                if (ours(id)) {
                    return new Bounce(id, found.status, at);
                }
            }
            return new Ignored("a bounce that names none of the hub's messages");
        }
        if (isAutomatic(mail)) {
            return new Ignored("an automatic answer (out of office, auto-reply)");
        }
        String inReplyTo = null;
        for (String id : ids(mail.getHeader("In-Reply-To"))) {
            if (ours(id)) {
                inReplyTo = id;
                break;
            }
        }
        if (inReplyTo == null) {
            List<String> references = ids(mail.getHeader("References"));
            Collections.reverse(references); // the last one is the message answered
            inReplyTo = references.stream().filter(this::ours).findFirst().orElse(null);
        }
        if (inReplyTo == null) {
            return new Ignored("neither a bounce nor a reply to the hub's messages");
        }
        String from = sender(mail);
        if (from == null) {
            return new Ignored("a reply without a sender address");
        }
        List<String> own = ids(mail.getHeader("Message-ID"));
        String id = own.isEmpty() ? "no-message-id." + MimeMessages.hash(from + "|" + at + "|" + inReplyTo) : own.get(0);
        return new Reply(id, from, inReplyTo, ReplyText.firstLines(text(mail, 0)), at);
    }

    private Instant at(Message mail) throws MessagingException {
        if (mail.getSentDate() != null) {
            return mail.getSentDate().toInstant();
        }
        if (mail.getReceivedDate() != null) {
            return mail.getReceivedDate().toInstant();
        }
        return clock.instant();
    }

    private static boolean isBounce(Message mail) throws MessagingException {
        try {
            ContentType type = new ContentType(mail.getContentType());
            if (type.match("multipart/report") && "delivery-status".equalsIgnoreCase(type.getParameter(
                    "report-type"))) {
                return true;
            }
        } catch (ParseException | NullPointerException unreadable) {
            // judged by the sender below
        }
        String from = sender(mail);
        if (from == null) {
            return false;
        }
        String local = from.substring(0, Math.max(0, from.indexOf('@'))).toLowerCase(Locale.ROOT);
        return local.equals("mailer-daemon") || local.equals("postmaster");
    }

    private static boolean isAutomatic(Message mail) throws MessagingException {
        String[] auto = mail.getHeader("Auto-Submitted");
        if (auto != null && auto.length > 0 && !auto[0].strip().toLowerCase(Locale.ROOT).startsWith("no")) {
            return true;
        }
        if (mail.getHeader("X-Autoreply") != null || mail.getHeader("X-Autorespond") != null) {
            return true;
        }
        String[] precedence = mail.getHeader("Precedence");
        return precedence != null && precedence.length > 0
                && precedence[0].strip().equalsIgnoreCase("auto_reply");
    }

    private static String sender(Message mail) throws MessagingException {
        Address[] from;
        try {
            from = mail.getFrom();
        } catch (MessagingException unparsable) {
            return null;
        }
        if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress a) || a.getAddress() == null
                || a.getAddress().indexOf('@') < 1) {
            return null;
        }
        return a.getAddress();
    }

    /** The ids in {@code <…>} of header values, in order. */
    static List<String> ids(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                Matcher m = ID.matcher(v);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static final class Found {
        final List<String> ids = new ArrayList<>();
        String status;
    }

    /** Collects the returned message's ids and the DSN status from the parts of a bounce. */
    private static void scan(Part part, Found found, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    scan(mp.getBodyPart(i), found, depth + 1);
                }
            }
        } else if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")) {
            List<String> returned = List.of();
            if (part.isMimeType("message/rfc822")) {
                // over IMAP the returned message is a nested message whose headers the server hands out
                Object content = part.getContent();
                if (content instanceof Message nested) {
                    returned = ids(nested.getHeader("Message-ID"));
                }
            }
            if (returned.isEmpty()) {
                try (InputStream in = part.getInputStream()) {
                    returned = ids(new InternetHeaders(in).getHeader("Message-ID"));
                }
            }
            found.ids.addAll(returned);
        } else if (part.isMimeType("message/delivery-status")) {
            Matcher m = STATUS.matcher(read(part));
            if (m.find() && found.status == null) {
                found.status = m.group(1);
            }
        } else if (part.isMimeType("text/plain")) { // a bounce in prose may quote the returned headers
            Matcher m = MESSAGE_ID_LINE.matcher(read(part));
            while (m.find()) {
                found.ids.add(m.group(1));
            }
        }
    }

    /** The plain text of a reply: its first text/plain part that is not an attachment, else its HTML stripped. */
    private static String text(Part part, int depth) throws MessagingException, IOException {
        String html = null;
        if (depth > MAX_DEPTH || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return null;
        }
        if (part.isMimeType("text/plain")) {
            return read(part);
        }
        if (part.isMimeType("text/html")) {
            return stripTags(read(part));
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                if (child.isMimeType("text/html") && html == null) {
                    html = text(child, depth + 1);
                    continue;
                }
                String t = text(child, depth + 1);
                if (t != null) {
                    return t;
                }
            }
        }
        return html;
    }

    private static String stripTags(String html) {
        return html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "")
                .replaceAll("(?is)<blockquote.*", "")
                .replaceAll("(?i)<br\\s*/?>|</p>|</div>", "\n").replaceAll("<[^>]+>", "")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    /** A text part decoded with its charset (UTF-8 when it names none or an unknown one), at most 256 KiB. */
    private static String read(Part part) throws MessagingException, IOException {
        java.nio.charset.Charset charset = StandardCharsets.UTF_8;
        try {
            String name = new ContentType(part.getContentType()).getParameter("charset");
            if (name != null) {
                charset = java.nio.charset.Charset.forName(name.strip());
            }
        } catch (ParseException | IllegalArgumentException | NullPointerException unknown) {
            // UTF-8
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readNBytes(MAX_TEXT), charset);
        }
    }
}
