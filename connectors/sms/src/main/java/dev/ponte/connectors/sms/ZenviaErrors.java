package dev.ponte.connectors.sms;

import dev.ponte.spi.CredentialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a Zenvia answer that is not 2xx is handled. Zenvia's body is {@code {"code":"VALIDATION_ERROR","message":"…",
 * "details":[{"code":"…","path":"to","message":"…"}]}}:
 * <ul>
 *   <li>HTTP 401 or 403 (the token unknown, revoked or without the SMS channel): the token is
 *       {@linkplain CredentialStatus rejected} and the send is retried: a configuration problem must not move the
 *       patients to another channel;</li>
 *   <li>HTTP 400 about the destination (a detail whose {@code path} is {@code to}, or a code naming the destination
 *       or recipient): permanent, so that the hub moves the message to the patient's next channel;</li>
 *   <li>otherwise {@link HttpStatusPolicy}: 408, 425, 429 and 5xx retried (with {@code Retry-After} as the hint),
 *       other 4xx permanent, naming Zenvia's codes and its message with phone numbers removed
 *       ({@link ProviderText}).</li>
 * </ul>
 * Messages never hold the token, the recipient or the text.
 */
final class ZenviaErrors {

    private ZenviaErrors() {
    }

    /**
     * Zenvia's error object, or {@code null} when the body holds none.
     *
     * @param code    {@code code}, or {@code null}
     * @param message {@code message} (or {@code description}), scrubbed of phone numbers, or {@code null}
     * @param details each detail's {@code code} and {@code path}
     */
    record ZenviaError(String code, String message, List<Detail> details) {

        record Detail(String code, String path) {
        }

        static ZenviaError parse(String body) {
            if (body == null || body.isBlank()) {
                return null;
            }
            try {
                JsonNode root = Json.MAPPER.readTree(body);
                if (root == null || !root.isObject() || !root.has("code")) {
                    return null;
                }
                List<Detail> details = new ArrayList<>();
                for (JsonNode d : root.path("details")) {
                    details.add(new Detail(d.path("code").asText(null), d.path("path").asText(null)));
                }
                String message = root.hasNonNull("message") ? root.path("message").asText()
                        : root.path("description").asText(null);
                return new ZenviaError(root.path("code").asText(null), ProviderText.scrub(message), details);
            } catch (java.io.IOException | RuntimeException notJson) {
                return null;
            }
        }

        /** Whether it is about the destination number. */
        boolean aboutDestination() {
            if (names(code)) {
                return true;
            }
            for (Detail d : details) {
                String path = d.path() == null ? "" : d.path().replaceFirst("^\\$\\.", "");
                if ("to".equals(path) || names(d.code())) {
                    return true;
                }
            }
            return false;
        }

        private static boolean names(String code) {
            String c = code == null ? "" : code.toUpperCase(Locale.ROOT);
            return c.contains("DESTINATION") || c.contains("RECIPIENT") || c.contains("INVALID_TO");
        }

        /** {@code code VALIDATION_ERROR (INVALID_FORMAT at to) "…"}, for messages. */
        String describe() {
            StringBuilder s = new StringBuilder("code ").append(code);
            List<String> parts = details.stream().filter(d -> d.code() != null).map(d -> d.code()
                    + (d.path() == null ? "" : " at " + d.path())).toList();
            if (!parts.isEmpty()) {
                s.append(" (").append(String.join(", ", parts)).append(")");
            }
            if (message != null) {
                s.append(" \"").append(message).append("\"");
            }
            return s.toString();
        }
    }

    static boolean tokenRejected(int status) {
        return status == 401 || status == 403;
    }

    /**
     * The exception the hub should see for a non-2xx answer.
     *
     * @param what  what was attempted, without personal data: "send message 5f0c…"
     * @param token the instance's token status, marked rejected when the answer says so
     */
    static Exception failure(int status, String body, String retryAfter, Clock clock, String what,
                             CredentialStatus token) {
        ZenviaError e = ZenviaError.parse(body);
        String zenvia = e == null ? "HTTP " + status : "HTTP " + status + ", " + e.describe();
        Duration wait = HttpStatusPolicy.retryAfter(retryAfter, clock);
        if (tokenRejected(status)) {
            token.rejected();
            return new RetriableDeliveryException("Zenvia refused the API token for " + what + " (" + zenvia + "): "
                    + token.reason() + "; the message stays on SMS and is retried with backoff", null, wait);
        }
        if (status == 400 && e != null && e.aboutDestination()) {
            return new PermanentDeliveryException("Zenvia could not send " + what + ": the number is not a valid SMS "
                    + "destination (" + zenvia + "). The hub moves the message to the patient's next channel; check "
                    + "the patient's mobile phone if it happens again");
        }
        if (HttpStatusPolicy.isRetriable(status)) {
            return new RetriableDeliveryException("Zenvia: " + what + " failed for now (" + zenvia
                    + (wait == null ? "" : ", Retry-After " + wait.toSeconds() + " s") + "); retried with backoff",
                    null, wait);
        }
        return new PermanentDeliveryException("Zenvia refused " + what + " (" + zenvia + "); no retry can fix it: "
                + "check the sender id (from) of the SMS channel in the Zenvia console and the message, fix it, then "
                + "replay the dead letter");
    }
}
