package dev.ponte.connectors.email;

import dev.ponte.spi.CredentialStatus;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a failed send is handled, from the SMTP reply codes Jakarta Mail (Angus) carries in its exceptions:
 * <ul>
 *   <li>a 5xx reply to the recipient (RCPT: 550 mailbox unavailable or user unknown, 551 user not local, 553 mailbox
 *       name not allowed, …): {@link PermanentDeliveryException}, so that the hub tries the patient's next
 *       channel;</li>
 *   <li>a 5xx reply to the message itself (DATA: 552 too large, 554 refused as spam): permanent too;</li>
 *   <li>the login refused (535, 534, 530, or {@link AuthenticationFailedException}): {@link CredentialStatus#rejected()}
 *       and {@link RetriableDeliveryException}: the clinic's credentials are wrong, the patient's address is not,
 *       so the message waits on this channel while the admin fixes {@code username}/{@code password};</li>
 *   <li>the sender refused (MAIL FROM 5xx: the account may not send as {@code from}): retried, naming
 *       {@code from};</li>
 *   <li>any 4xx reply, a refused, reset or timed-out connection, a failed TLS handshake, anything else:
 *       retried.</li>
 * </ul>
 * Messages name the server, the SMTP code and the enhanced status code (e.g. 5.1.1) and what to do; never the
 * recipient, the text, nor the server's own words (they quote the address); for the same reason an SMTP reply is not
 * kept as the cause, only an I/O failure is.
 */
final class SmtpErrors {

    private static final Pattern ENHANCED = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    /** The option names the messages point to. */
    record Keys(String from, CredentialStatus auth) {
    }

    private SmtpErrors() {
    }

    /**
     * The exception the sink throws for a failed send.
     *
     * @param e      what Jakarta Mail threw
     * @param what   the message concerned, e.g. {@code message 5f0c…}
     * @param server {@link SmtpServer#describe()}
     */
    static Exception failure(MessagingException e, String what, String server, Keys keys) {
        List<Throwable> chain = chain(e);
        String prefix = "e-mail: send " + what + " through " + server;
        for (Throwable t : chain) {
            int code = code(t);
            if (t instanceof AuthenticationFailedException || code == 535 || code == 534 || code == 530) {
                keys.auth().rejected();
                return new RetriableDeliveryException(prefix + ": " + keys.auth().reason()
                        + "; the message is retried");
            }
        }
        for (Throwable t : chain) {
            int code = code(t);
            if (code <= 0) {
                continue;
            }
            String reply = "SMTP " + code + enhanced(t);
            if (t instanceof SMTPAddressFailedException) {
                if (code / 100 == 5) {
                    return new PermanentDeliveryException(prefix + ": the server refused the recipient (" + reply
                            + ": mailbox unknown or unavailable); the hub tries the patient's next channel; fix the "
                            + "patient's e-mail address, then replay the dead letter if needed");
                }
                return new RetriableDeliveryException(prefix + ": the server deferred the recipient (" + reply
                        + "); retried");
            }
            if (t instanceof SMTPSenderFailedException) {
                return new RetriableDeliveryException(prefix + ": the server refused the sender (" + reply + "): "
                        + "check that the SMTP account may send as " + keys.from() + "; retried");
            }
            if (t instanceof SMTPSendFailedException && code / 100 == 5) {
                return new PermanentDeliveryException(prefix + ": the server refused the message (" + reply
                        + "); the hub tries the patient's next channel");
            }
            return new RetriableDeliveryException(prefix + ": the server answered " + reply + "; retried");
        }
        for (Throwable t : chain) {
            if (t instanceof IOException) {
                return new RetriableDeliveryException(prefix + " failed: the server could not be reached ("
                        + t.getClass().getSimpleName() + "); retried", e);
            }
        }
        return new RetriableDeliveryException(prefix + " failed (" + e.getClass().getSimpleName() + "); retried", e);
    }

    /** The SMTP reply code an exception carries, or -1. */
    static int code(Throwable t) {
        if (t instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        if (t instanceof SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        return -1;
    }

    /** {@code " 5.1.1"} from the server's reply, or empty. */
    private static String enhanced(Throwable t) {
        Matcher m = ENHANCED.matcher(String.valueOf(t.getMessage()));
        return m.find() ? " " + m.group(1) : "";
    }

    /** The exception, its causes and the exceptions Jakarta Mail chains with {@code getNextException()}. */
    static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        List<Throwable> todo = new ArrayList<>(List.of(e));
        while (!todo.isEmpty() && out.size() < 20) {
            Throwable t = todo.remove(0);
            if (t == null || out.contains(t)) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof MessagingException m) {
                todo.add(m.getNextException());
            }
        }
        return out;
    }
}
