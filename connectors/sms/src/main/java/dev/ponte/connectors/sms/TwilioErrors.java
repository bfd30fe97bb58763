package dev.ponte.connectors.sms;

import dev.ponte.spi.CredentialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How a Twilio answer that is not 2xx is handled. Twilio's body is {@code {"code":21211,"message":"…",
 * "more_info":"https://www.twilio.com/docs/errors/21211","status":400}}; the code decides before the HTTP status:
 * <ul>
 *   <li>HTTP 401 or 20003 (authentication): the credentials are {@linkplain CredentialStatus rejected} and the send
 *       is retried: a configuration problem must not move the patients to another channel;</li>
 *   <li>the recipient's codes ({@link #RECIPIENT}: not a valid number, unreachable, a landline, unsubscribed with
 *       STOP, a region the account may not send to…): permanent, so that the hub moves the message to the
 *       patient's next channel;</li>
 *   <li>20429 (too many requests), and as {@link HttpStatusPolicy} says 408, 425, 429 and 5xx: retried, with
 *       {@code Retry-After} as the hint;</li>
 *   <li>any other 4xx: permanent, naming Twilio's code and its message with phone numbers removed
 *       ({@link ProviderText}); the sender's codes ({@link #SENDER}) name {@code from} and
 *       {@code messaging-service-sid}.</li>
 * </ul>
 * Messages never hold the credentials, the recipient or the text. {@link #title(String)} names the codes of a failed
 * status callback. Pure but for the credential status.
 */
final class TwilioErrors {

    static final int AUTHENTICATION = 20003;
    static final int TOO_MANY_REQUESTS = 20429;
    /** What each recipient code means, in a few words (Twilio's error dictionary). */
    static final Map<Integer, String> RECIPIENT = Map.ofEntries(
            Map.entry(21211, "not a valid phone number"),
            Map.entry(21214, "the number cannot be reached"),
            Map.entry(21217, "not a valid phone number"),
            Map.entry(21408, "the account may not send SMS to the number's region"),
            Map.entry(21610, "the patient unsubscribed from this sender with STOP"),
            Map.entry(21612, "the number cannot be reached by SMS from this sender"),
            Map.entry(21614, "not a mobile number (a landline?)"),
            Map.entry(30003, "unreachable destination handset"),
            Map.entry(30004, "message blocked by the recipient or the carrier"),
            Map.entry(30005, "unknown destination handset"),
            Map.entry(30006, "landline or unreachable carrier"),
            Map.entry(30007, "filtered by the carrier"),
            Map.entry(30008, "unknown error of the carrier"));
    /** Codes that mean the sender is misconfigured: a From not of the account, not SMS-capable, invalid. */
    static final Set<Integer> SENDER = Set.of(21212, 21606, 21659, 21660);

    private TwilioErrors() {
    }

    /**
     * Twilio's error object, or {@code null} when the body holds none.
     *
     * @param code    {@code code}, or -1
     * @param message {@code message}, scrubbed of phone numbers, or {@code null}
     */
    record TwilioError(int code, String message) {

        static TwilioError parse(String body) {
            if (body == null || body.isBlank()) {
                return null;
            }
            try {
                JsonNode root = Json.MAPPER.readTree(body);
                if (root == null || !root.isObject() || !root.has("code")) {
                    return null;
                }
                return new TwilioError(root.path("code").asInt(-1), ProviderText.scrub(root.path("message")
                        .asText(null)));
            } catch (java.io.IOException | RuntimeException notJson) {
                return null;
            }
        }

        /** {@code code 21211 ("…")}, for messages. */
        String describe() {
            return "code " + code + (message == null ? "" : " \"" + message + "\"");
        }
    }

    /** Whether an answer means that Twilio does not accept the account SID and auth token. */
    static boolean credentialsRejected(int status, TwilioError error) {
        return status == 401 || error != null && error.code() == AUTHENTICATION;
    }

    /** A few words on a status callback's {@code ErrorCode}, or {@code null} when it is not one of ours. */
    static String title(String errorCode) {
        try {
            return errorCode == null ? null : RECIPIENT.get(Integer.parseInt(errorCode.strip()));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /**
     * The exception the hub should see for a non-2xx answer: a {@link RetriableDeliveryException} or a
     * {@link PermanentDeliveryException}.
     *
     * @param what        what was attempted, without personal data: "send message 5f0c…"
     * @param retryAfter  the {@code Retry-After} header, or {@code null}
     * @param credentials the instance's credential status, marked rejected when the answer says so
     * @param keys        the full keys of {@code from} and {@code messaging-service-sid}, for messages
     */
    static Exception failure(int status, String body, String retryAfter, Clock clock, String what,
                             CredentialStatus credentials, String keys) {
        TwilioError e = TwilioError.parse(body);
        int code = e == null ? -1 : e.code();
        String twilio = e == null ? "HTTP " + status : "HTTP " + status + ", " + e.describe();
        Duration wait = HttpStatusPolicy.retryAfter(retryAfter, clock);
        String waitWords = wait == null ? "" : ", Retry-After " + wait.toSeconds() + " s";
        if (credentialsRejected(status, e)) {
            credentials.rejected();
            return new RetriableDeliveryException("Twilio refused the credentials for " + what + " (" + twilio
                    + "): " + credentials.reason() + "; the message stays on SMS and is retried with backoff", null,
                    wait);
        }
        String recipient = RECIPIENT.get(code);
        if (recipient != null) {
            return new PermanentDeliveryException("Twilio could not send " + what + ": " + recipient + " (" + twilio
                    + "). The hub moves the message to the patient's next channel; check the patient's mobile phone "
                    + "if it happens again");
        }
        if (code == TOO_MANY_REQUESTS || HttpStatusPolicy.isRetriable(status)) {
            return new RetriableDeliveryException("Twilio: " + what + " failed for now (" + twilio + waitWords
                    + "); retried with backoff", null, wait);
        }
        if (SENDER.contains(code)) {
            return new PermanentDeliveryException("Twilio refused the sender of " + what + " (" + twilio + "): check "
                    + keys + " (a number or Messaging Service of this account, SMS-capable), then replay the dead "
                    + "letter");
        }
        return new PermanentDeliveryException("Twilio refused " + what + " (" + twilio + "); no retry can fix it: look "
                + "the code up at https://www.twilio.com/docs/errors, fix it, then replay the dead letter");
    }
}
