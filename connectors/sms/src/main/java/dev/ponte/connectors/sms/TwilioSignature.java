package dev.ponte.connectors.sms;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio's request signature, {@code X-Twilio-Signature}: the Base64 of HMAC-SHA1, keyed with the account's auth
 * token (its UTF-8 text), over the full URL Twilio called followed by every POST parameter's name and value, the
 * names sorted (and, for a repeated name, its values sorted), all in UTF-8. Compared in constant time. Thread safe.
 */
final class TwilioSignature {

    static final String HEADER = "X-Twilio-Signature";

    private final byte[] authToken;

    TwilioSignature(String authToken) {
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature Twilio sends for a POST of {@code params} to {@code url}. */
    String sign(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, List<String>> p : new TreeMap<>(params).entrySet()) {
            List<String> values = new ArrayList<>(p.getValue());
            values.sort(null);
            for (String v : values) {
                data.append(p.getKey()).append(v);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /** Whether {@code given} is the signature of this request; {@code false} for {@code null}. */
    boolean matches(String given, String url, Map<String, List<String>> params) {
        if (given == null) {
            return false;
        }
        byte[] expected = sign(url, params).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }
}
