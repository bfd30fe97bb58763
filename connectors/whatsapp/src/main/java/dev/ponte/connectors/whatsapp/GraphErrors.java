package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.CredentialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * How a Graph API answer that is not 2xx is handled. Meta's body is {@code {"error":{"code":..,"type":..,
 * "error_subcode":..,"fbtrace_id":..,"message":..}}}; the code decides before the HTTP status, which Meta sets
 * loosely (a rate limit often comes as 400):
 * <ul>
 *   <li>130429 (throughput), 131056 (pair rate limit), 4 and 80007 (app and account rate limits), 2 (service
 *       temporarily unavailable): retried, with {@code Retry-After} as the hint when given;</li>
 *   <li>131047 (re-engagement: a text outside the 24-hour window) and 131026 (undeliverable): permanent on this
 *       channel; the hub moves the message to the patient's next channel;</li>
 *   <li>190, or HTTP 401 (Meta's answer to a token it cannot authenticate): permanent, and the token is marked
 *       {@linkplain CredentialStatus rejected}. Meta labels almost every Cloud API error {@code OAuthException}
 *       (131030, 100, 131047 among them), so that type alone does not mean the token was refused;</li>
 *   <li>otherwise the shared {@link HttpStatusPolicy}: 408, 425, 429 and 5xx retried, other 4xx permanent.</li>
 * </ul>
 * Messages name the code and what the admin does; never the token, the recipient, the text, nor Meta's own message
 * (it may quote the recipient).
 */
final class GraphErrors {

    static final int TOKEN_INVALID = 190;
    static final int THROUGHPUT = 130429;
    static final int PAIR_RATE_LIMIT = 131056;
    static final int RE_ENGAGEMENT = 131047;
    static final int UNDELIVERABLE = 131026;
    private static final Set<Integer> OTHER_TRANSIENT = Set.of(2, 4, 80007);
    private static final Set<Integer> PERMISSION = Set.of(10, 200);

    private GraphErrors() {
    }

    /**
     * Meta's error object, or {@code null} when the body holds none.
     *
     * @param code    {@code error.code}, or -1
     * @param subcode {@code error.error_subcode}, or -1
     */
    record GraphError(int code, String type, int subcode, String traceId) {

        static GraphError parse(String body) {
            if (body == null || body.isBlank()) {
                return null;
            }
            try {
                JsonNode error = Json.MAPPER.readTree(body).path("error");
                if (!error.isObject()) {
                    return null;
                }
                return new GraphError(error.path("code").asInt(-1), error.path("type").asText(null),
                        error.path("error_subcode").asInt(-1), error.path("fbtrace_id").asText(null));
            } catch (java.io.IOException | RuntimeException notJson) {
                return null;
            }
        }

        /** {@code code 131026, subcode 2494055, fbtrace_id Ab…}, for messages. */
        String describe() {
            return "code " + code + (subcode > 0 ? ", subcode " + subcode : "")
                    + (traceId != null && traceId.matches("[A-Za-z0-9_-]{1,64}") ? ", fbtrace_id " + traceId : "");
        }
    }

    /** Whether an answer means that Meta does not accept the access token. */
    static boolean tokenRejected(int status, GraphError error) {
        return status == 401 || error != null && error.code() == TOKEN_INVALID;
    }

    /**
     * The exception the hub should see for a non-2xx answer: a {@link RetriableDeliveryException} or a
     * {@link PermanentDeliveryException}.
     *
     * @param what       what was attempted, without personal data: "send template message 5f0c…"
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     * @param token      the instance's token status, marked rejected when the answer says so
     * @param settings   what the messages name: the full keys of the instance's options and its throughput
     */
    static Exception failure(int status, String body, String retryAfter, Clock clock, String what, CredentialStatus token,
                             Settings settings) {
        GraphError e = GraphError.parse(body);
        int code = e == null ? -1 : e.code();
        String meta = e == null ? "HTTP " + status : "HTTP " + status + ", " + e.describe();
        Duration wait = HttpStatusPolicy.retryAfter(retryAfter, clock);
        String waitWords = wait == null ? "" : ", Retry-After " + wait.toSeconds() + " s";
        if (code == THROUGHPUT) {
            return new RetriableDeliveryException("WhatsApp: " + what + " hit the phone number's throughput limit ("
                    + meta + waitWords + "); retried with backoff. If it recurs, lower "
                    + settings.messagesPerSecondKey() + " (now " + settings.messagesPerSecond()
                    + ") or ask Meta for a higher throughput", null, wait);
        }
        if (code == PAIR_RATE_LIMIT) {
            return new RetriableDeliveryException("WhatsApp: " + what + " was refused for now: too many messages to "
                    + "this patient in a short time (pair rate limit, " + meta + waitWords
                    + "); retried with backoff", null, wait);
        }
        if (OTHER_TRANSIENT.contains(code)) {
            return new RetriableDeliveryException("WhatsApp: " + what + " failed for now (" + (code == 2
                    ? "Meta's service temporarily unavailable" : "Meta's API rate limit of the app or account")
                    + ", " + meta + waitWords + "); retried with backoff", null, wait);
        }
        if (code == RE_ENGAGEMENT) {
            return new PermanentDeliveryException("WhatsApp could not send " + what + " (re-engagement, "
                    + meta + "): a text cannot be sent outside the 24-hour window after the "
                    + "patient's last message, only an approved template can. The hub moves the message to the "
                    + "patient's next channel; to reach patients on WhatsApp, give this message template a WhatsApp "
                    + "template form approved in WhatsApp Manager");
        }
        if (code == UNDELIVERABLE) {
            return new PermanentDeliveryException("WhatsApp could not deliver " + what + " (undeliverable, "
                    + meta + "): the number may have no WhatsApp account, may not have accepted "
                    + "WhatsApp's latest terms or may use an old app version. The hub moves the message to the "
                    + "patient's next channel; check the patient's mobile phone if it happens again");
        }
        if (tokenRejected(status, e)) {
            token.rejected();
            return new PermanentDeliveryException("WhatsApp refused the access token for " + what + " ("
                    + meta + "): " + token.reason() + " with a system user's permanent token (Meta Business "
                    + "Settings > System users) and restart the hub; meanwhile messages go to the patients' next "
                    + "channel");
        }
        if (PERMISSION.contains(code) || code > 200 && code < 300) {
            return new PermanentDeliveryException("WhatsApp refused " + what + " for lack of permission (" + meta
                    + "): give the system user of " + settings.accessTokenKey() + " the permissions "
                    + "whatsapp_business_messaging and whatsapp_business_management on the WhatsApp account of "
                    + settings.phoneNumberIdKey() + ", then renew the token");
        }
        if (HttpStatusPolicy.isRetriable(status)) {
            return new RetriableDeliveryException("WhatsApp: " + what + " failed for now (" + meta + waitWords
                    + "); retried with backoff", null, wait);
        }
        return new PermanentDeliveryException("WhatsApp refused " + what + " (" + meta + "); no retry can fix it: "
                + "look the code up in Meta's Cloud API error codes (a template name, language or parameter count "
                + "that does not match the approved template; a phone number id of another account), fix it, then "
                + "replay the dead letter");
    }

    /** What error messages name, from the instance's configuration. */
    record Settings(String accessTokenKey, String phoneNumberIdKey, String messagesPerSecondKey,
                    int messagesPerSecond) {
    }
}
