package dev.ponte.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.model.Appointment;
import dev.ponte.model.Coverage;
import dev.ponte.model.PackageEnrollment;
import dev.ponte.model.Procedure;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.ReviewList;
import dev.ponte.validation.ClinicRules;
import dev.ponte.validation.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The booking checks of an appointment: reads what {@link ClinicRules#booking} needs from the store (the patient's
 * chart, the procedure, the package, the plan's coverage row) and keeps the appointment's review items exactly what
 * the rules find now ({@link ReviewList#sync}). Logs ids and rule ids only.
 */
final class BookingChecks {

    static final String ENTITY = "Appointment";
    private static final Logger LOG = LoggerFactory.getLogger(BookingChecks.class);

    private final ClinicSettings settings;

    BookingChecks(ClinicSettings settings) {
        this.settings = settings;
    }

    /** Checks the appointment and returns what is open on it now. */
    List<ClinicRules.BookingFinding> check(Connection c, String appointmentId, Appointment a, Instant now)
            throws SQLException {
        JsonNode patient = ClinicRecords.read(c, "Patient", a.patientId()).orElse(null);
        Procedure procedure = ClinicRecords.typed(c, Procedure.class, a.procedureCode()).orElse(null);
        PackageEnrollment enrollment = a.enrollmentId() == null ? null
                : ClinicRecords.typed(c, PackageEnrollment.class, a.enrollmentId()).orElse(null);
        Coverage coverage = a.insurancePlanId() == null ? null : coverage(c, a.insurancePlanId(), a.procedureCode());
        List<ClinicRules.BookingFinding> findings = ClinicRules.booking(a, new ClinicRules.BookingFacts(patient,
                procedure, enrollment, coverage, settings.requiredFields()));
        List<String> opened = ReviewList.sync(c, ENTITY, appointmentId, findings.stream()
                .map(f -> new ReviewList.Finding(f.rule(), f.field(), f.message(Messages.EN))).toList(), now);
        if (!opened.isEmpty()) {
            LOG.info("booking checks: Appointment {} flagged for review: {}", appointmentId, opened);
        }
        return findings;
    }

    /** The plan's coverage row for a procedure, or null when its table has none. */
    static Coverage coverage(Connection c, String planId, String procedureCode) throws SQLException {
        for (Map.Entry<String, String> row : CanonicalStore.payloads(c, "Coverage").entrySet()) {
            try {
                JsonNode n = Json.MAPPER.readTree(row.getValue());
                if (planId.equals(n.path("insurancePlanId").asText(null))
                        && procedureCode.equals(n.path("procedureCode").asText(null))) {
                    return ClinicRecords.typed(n, Coverage.class).orElse(null);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                LOG.warn("Coverage {} is stored as invalid JSON; skipped", row.getKey());
            }
        }
        return null;
    }
}
