package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConnectorConfig;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fiscal instance in sandbox mode answers for a document it signed and recorded (option
 * {@code sandbox-answer}): {@code recorded} (the default: nothing is assigned, the Invoice stays PENDING) or
 * {@code authorized}, for demonstrations and dry runs of what follows an authorization (the patient's receipt, the
 * reconciliation): the Invoice becomes AUTHORIZED with an access key of the document's shape that <b>no authority
 * issued</b>. Only with {@code sandbox=true} and {@code environment=homologation}, so that no production
 * configuration can hold a document the authority never saw as authorized.
 */
final class SandboxAnswer {

    static final String KEY = "sandbox-answer";
    static final String RECORDED = "recorded";
    static final String AUTHORIZED = "authorized";

    private SandboxAnswer() {
    }

    static ConfigField field() {
        return ConfigField.choice(KEY, RECORDED, "With sandbox=true: recorded (the Invoice stays PENDING) or "
                + "authorized (the Invoice becomes AUTHORIZED with an access key no authority issued, to try the "
                + "receipt and the reconciliation; homologation only)", RECORDED, AUTHORIZED);
    }

    static List<ConfigRule> rules() {
        return List.of(
                ConfigRule.of("only with sandbox=true (a real authority answers for itself)",
                        c -> c.sandbox() || !AUTHORIZED.equals(c.string(KEY)), KEY),
                ConfigRule.of("authorized only with environment=homologation",
                        c -> !AUTHORIZED.equals(c.string(KEY)) || "homologation".equals(c.string("environment")),
                        KEY, "environment"));
    }

    /** Whether this sandboxed instance answers "authorized". */
    static boolean authorizes(ConnectorConfig c) {
        return c.sandbox() && AUTHORIZED.equals(c.string(KEY));
    }

    /** The fields a sandbox authorization assigns: status, access key, issued at. */
    static Map<String, String> assigned(String accessKey, Instant at, ZoneId zone) {
        Map<String, String> assigned = new LinkedHashMap<>();
        assigned.put("status", "AUTHORIZED");
        assigned.put("accessKey", accessKey);
        assigned.put("issuedAt", at.atZone(zone).toOffsetDateTime().withNano(0).toString());
        return assigned;
    }

    /**
     * A 50-digit key in the shape of the national NFS-e's: municipality (7), environment 2 (homologation),
     * registration type 2 (CNPJ), CNPJ (14), number (13), year and month (4), a code from the number (9) and a
     * modulo-11 check digit. Stable per document, so a redelivery assigns the same key.
     */
    static String nfseKey(String municipality, String cnpj, long number, Instant at, ZoneId zone) {
        String first49 = municipality + "2" + "2" + cnpj + String.format("%013d", number)
                + DateTimeFormatter.ofPattern("yyMM").withZone(zone).format(at)
                + String.format("%09d", Math.floorMod(number * 7919L + 13L, 1_000_000_000L));
        return first49 + AccessKey.mod11(first49);
    }
}
