package dev.ponte.connectors.whatsapp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Meta's webhook signatures and the verify token, compared in constant time.
 * <ul>
 *   <li>{@code X-Hub-Signature-256: sha256=<hex>}: HMAC-SHA256 of the raw body bytes, keyed with the app secret (its
 *       UTF-8 text), 64 lower-case hex digits. Exactly that form is accepted: {@code SHA256=}, {@code sha1=}, upper-case
 *       hex, another length or surrounding spaces are malformed;</li>
 *   <li>the verify token of the GET challenge: equal to the configured one, compared over SHA-256 digests so that
 *       neither content nor length leaks through timing.</li>
 * </ul>
 */
final class Signatures {

    /** What a POST's signature header says. */
    enum Verdict {
        VALID,
        /** No {@code X-Hub-Signature-256} header: 401. */
        MISSING,
        /** A header not of the form {@code sha256=<64 lower-case hex>}: 403. */
        MALFORMED,
        /** Of the form, but not the body's signature with our app secret: 403. */
        WRONG
    }

    static final String HEADER = "X-Hub-Signature-256";
    private static final Pattern FORM = Pattern.compile("sha256=[0-9a-f]{64}");

    private final byte[] appSecret;
    private final byte[] verifyTokenDigest;

    Signatures(String appSecret, String verifyToken) {
        this.appSecret = appSecret.getBytes(StandardCharsets.UTF_8);
        this.verifyTokenDigest = sha256(verifyToken);
    }

    Verdict verify(Optional<String> header, byte[] body) {
        if (header.isEmpty()) {
            return Verdict.MISSING;
        }
        String given = header.get();
        if (!FORM.matcher(given).matches()) {
            return Verdict.MALFORMED;
        }
        byte[] expected = ("sha256=" + sign(appSecret, body)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII)) ? Verdict.VALID
                : Verdict.WRONG;
    }

    boolean isVerifyToken(String given) {
        return given != null && MessageDigest.isEqual(verifyTokenDigest, sha256(given));
    }

    /** Lower-case hex of HMAC-SHA256 over {@code body} with {@code key}. */
    static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
