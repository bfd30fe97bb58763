package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;

/** How the document builders read canonical JSON: one reading of text, blank and unknown for both documents. */
final class CanonicalFields {

    private CanonicalFields() {
    }

    /** A scalar field as trimmed text; null when absent, null, blank or not a scalar. */
    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s.strip();
    }

    /** Trimmed, inner whitespace runs collapsed to one space; null when blank. */
    static String normalized(String s) {
        if (s == null) {
            return null;
        }
        String n = s.strip().replaceAll("\\s+", " ");
        return n.isEmpty() ? null : n;
    }

    /** The digits of a text (a masked CPF, a CEP); null stays null. */
    static String digitsOnly(String s) {
        return s == null ? null : s.replaceAll("\\D", "");
    }

    /** An id for a problem's message: {@code ?} when unknown. */
    static String orUnknown(String s) {
        return s == null ? "?" : s;
    }
}
