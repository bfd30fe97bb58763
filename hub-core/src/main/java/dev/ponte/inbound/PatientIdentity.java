package dev.ponte.inbound;

import dev.ponte.json.Json;
import dev.ponte.model.Patient;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a patient is across systems: a source record with the CPF of a patient the hub holds is that patient (merged:
 * cross-referenced, no new record); a new patient claims its CPF; a new patient without CPF but with the name and
 * birth date of another is flagged for review, never merged.
 */
final class PatientIdentity {

    private PatientIdentity() {
    }

    /** The canonical id of the patient the hub holds with this patient's CPF, if it has a CPF and there is one. */
    static Optional<String> sameCpf(Connection c, Patient p) throws SQLException {
        return p.cpf() == null ? Optional.empty() : CanonicalStore.patientByCpf(c, p.cpf());
    }

    /** The data of the {@code patient.merged} event of source record {@code system:sourceId}. */
    static String mergedEventData(String canonicalId, String system, String sourceId) {
        return Json.MAPPER.createObjectNode().put("canonicalId", canonicalId).put("system", system)
                .put("sourceId", sourceId).toString();
    }

    /** Audits that source record {@code system:sourceId} was merged into patient {@code canonicalId}. */
    static void auditMerge(Connection c, String canonicalId, String system, String sourceId, Instant now)
            throws SQLException {
        AuditLog.append(c, "hub", "patient.merge", "Patient/" + canonicalId, "source " + system + ":"
                + sourceId + " cross-referenced", "same CPF as an existing patient", now);
    }

    /** New patient: claim its CPF; without CPF, flag a same-name-and-birth-date patient for review, never merge. */
    static void register(Connection c, Patient p, String canonicalId, Instant now) throws SQLException {
        String nameKey = nameKey(p);
        if (p.cpf() != null) {
            CanonicalStore.claimCpf(c, p.cpf(), canonicalId);
        } else if (nameKey != null) {
            Optional<String> candidate = CanonicalStore.patientByNameKey(c, nameKey);
            if (candidate.isPresent()) {
                CanonicalStore.addReviewCandidate(c, "Patient", canonicalId, candidate.get(),
                        "same name and birth date, no CPF to confirm", now);
            }
        }
        if (nameKey != null) {
            CanonicalStore.addNameKey(c, nameKey, canonicalId);
        }
    }

    /** Name without accents, case or extra spaces, plus birth date; {@code null} without a name or birth date. */
    static String nameKey(Patient p) {
        if (p.name() == null || p.birthDate() == null) {
            return null;
        }
        String plain = Normalizer.normalize(p.name(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").strip() + "|" + p.birthDate();
    }
}
