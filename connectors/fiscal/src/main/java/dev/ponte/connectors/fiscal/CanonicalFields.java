package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

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

    /**
     * The checks of the charge every document shares: not CANCELLED, paid by the patient (not an insurance plan),
     * and of the patient given.
     *
     * @param document the document, for the messages ({@code NFS-e}, {@code NF-e})
     * @param party    who the patient is in it ({@code taker}, {@code recipient})
     */
    static void checkCharge(JsonNode charge, String chargeId, JsonNode patient, String document, String party,
                            List<CanonicalProblem> out) {
        if ("CANCELLED".equals(text(charge, "status"))) {
            out.add(new CanonicalProblem("Charge", chargeId, "status", "is CANCELLED: no " + document
                    + " is issued for it"));
        }
        if ("INSURANCE".equals(text(charge, "payer"))) {
            out.add(new CanonicalProblem("Charge", chargeId, "payer", "is INSURANCE: the " + party + " would be the "
                    + "insurance plan, which this builder does not support (only the patient as " + party + ")"));
        }
        String chargePatient = text(charge, "patientId");
        String patientId = text(patient, "id");
        if (chargePatient != null && patientId != null && !chargePatient.equals(patientId)) {
            out.add(new CanonicalProblem("Charge", chargeId, "patientId", "names another patient than the one given"));
        }
    }
}
