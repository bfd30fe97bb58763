package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON answers of the Sefin Nacional with {@link Json#MAPPER} (as a tree: the Sefin adds fields over time,
 * and unknown ones are ignored here). Field names are matched <em>case-insensitively</em>: the Swagger declares
 * {@code MensagemProcessamento} as {@code codigo}/{@code descricao}/{@code complemento}, while answers quoted by
 * users of the API (nfse-nacional/nfse-php issue #34, several clients' E0014 handling) spell them {@code Codigo} and
 * {@code Descricao}; the rejection of {@code POST /nfse} ({@code NFSePostResponseErro}) has a list {@code erros}, the
 * other endpoints' {@code ResponseErro} a single {@code erro}, and both are read.
 */
final class NfseReplies {

    private NfseReplies() {
    }

    /**
     * What {@code NFSePostResponseSucesso} (201) and {@code NFSeGetResponseSucesso} (200) carry.
     *
     * @param accessKey   {@code chaveAcesso}, or null when absent
     * @param dpsId       {@code idDps} (POST only), or null
     * @param processedAt {@code dataHoraProcessamento}, or null when absent or unreadable
     * @param nfseGzipB64 {@code nfseXmlGZipB64}, or null
     */
    record Issued(String accessKey, String dpsId, OffsetDateTime processedAt, String nfseGzipB64) {

        @Override
        public String toString() {
            return "Issued[" + accessKey + "]";
        }
    }

    /** One {@code MensagemProcessamento}: the code ({@code E0014}) and the authority's description. */
    record Message(String code, String description) {
    }

    /** The success fields of an answer; null when the body is not a JSON object. */
    static Issued issued(String body) {
        JsonNode root = tree(body);
        if (root == null) {
            return null;
        }
        return new Issued(text(root, "chaveAcesso"), text(root, "idDps"),
                dateTime(text(root, "dataHoraProcessamento")), text(root, "nfseXmlGZipB64"));
    }

    /** The access key of a {@code DpsGetResponse}; null when absent. */
    static String accessKey(String body) {
        JsonNode root = tree(body);
        return root == null ? null : text(root, "chaveAcesso");
    }

    /**
     * The errors of an answer, in order: {@code erros[]} or the single {@code erro}. Only code and description are
     * kept: {@code complemento} may quote values of the document (a CPF, a name), so it is left out.
     */
    static List<Message> errors(String body) {
        JsonNode root = tree(body);
        List<Message> messages = new ArrayList<>();
        if (root == null) {
            return messages;
        }
        JsonNode list = field(root, "erros");
        if (list != null && list.isArray()) {
            list.forEach(m -> add(messages, m));
        }
        JsonNode single = field(root, "erro");
        if (messages.isEmpty() && single != null) {
            add(messages, single);
        }
        return messages;
    }

    private static void add(List<Message> messages, JsonNode m) {
        if (m != null && m.isObject()) {
            String code = text(m, "codigo");
            String description = text(m, "descricao");
            if (code != null || description != null) {
                messages.add(new Message(code == null ? "?" : code, description == null ? "" : description));
            }
        }
    }

    private static JsonNode tree(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            return root != null && root.isObject() ? root : null;
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** The field named {@code name} in any letter case. */
    private static JsonNode field(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode object, String name) {
        JsonNode v = field(object, name);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    /** ISO-8601 with offset, up to 9 fraction digits ({@code 2026-04-16T18:42:05.1544276-03:00}). */
    static OffsetDateTime dateTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
