package dev.ponte.connectors.httpwebhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * What a receiver does with a Standard Webhooks request, written from the spec and not from the connector: refuse a
 * timestamp more than five minutes off its clock (a captured request replayed later), then recompute the v1
 * signature over {@code <webhook-id>.<webhook-timestamp>.<body>} and compare in constant time.
 */
final class WebhookReceiver {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private WebhookReceiver() {
    }

    /** @return {@code null} when the request is accepted, else why it is refused */
    static String verify(String secret, String id, String timestamp, String signatureHeader, String body,
                         Instant now) throws Exception {
        if (id == null || timestamp == null || signatureHeader == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(sent, now).abs().compareTo(TOLERANCE) > 0) {
            return "timestamp too far from now: " + Duration.between(sent, now).toSeconds() + " s";
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String candidate : signatureHeader.split(" ")) { // the spec allows several, space-separated
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(candidate.substring(3)))) {
                return null;
            }
        }
        return "no valid v1 signature";
    }
}
