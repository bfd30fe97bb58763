package dev.ponte.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.Appointment;
import dev.ponte.model.PackageEnrollment;
import dev.ponte.model.Payment;
import dev.ponte.validation.ClinicRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The clinic flows' decisions for one canonical change, in the caller's transaction, in this order: the booking
 * checks of an appointment ({@link BookingChecks}, the review list), its package session ({@link PackageSessions}),
 * its charges ({@link Billing}); an enrollment's balance and up-front charge; a payment applied to its charge; a
 * charge's waiting payments, and a source's charge for an appointment the hub charged flagged. Each
 * step records what it did, so applying the same change again (a redelivered event, a restart) changes nothing.
 * Thread safe; the route in {@code routes/} ({@code ClinicFlow}) calls it, one event per transaction.
 */
public final class ClinicFlows {

    private static final Logger LOG = LoggerFactory.getLogger(ClinicFlows.class);

    /** The entities whose changes the flows act on. */
    public static final List<String> ENTITIES = List.of("Appointment", "PackageEnrollment", "Payment", "Charge",
            "Patient", "Coverage", "Procedure");

    /** The most flagged appointments one change of what they depend on checks again. */
    static final int RECHECK_LIMIT = 5000;

    /** Why a change is applied: the event's id and correlation id. */
    public record Cause(String eventId, String correlationId) {
    }

    /**
     * What one change did.
     *
     * @param review  the booking rules found on the appointment now (rule ids)
     * @param session what happened to its package session: NONE, USED, RELEASED, REFUSED
     * @param billing what billing decided: NONE, REVIEW, CHARGED, BY_SOURCE, PACKAGE, PAID
     * @param charges the charges made (or paid)
     */
    public record Result(List<String> review, String session, String billing, List<String> charges) {
    }

    private final ClinicSettings settings;
    private final Clock clock;
    private final BookingChecks booking;
    private final PackageSessions packages;
    private final Billing billing;

    public ClinicFlows(ClinicSettings settings, Clock clock, String clinic) {
        this.settings = settings;
        this.clock = clock;
        ClinicRecords records = new ClinicRecords(clinic);
        this.booking = new BookingChecks(settings);
        this.packages = new PackageSessions(settings, records);
        this.billing = new Billing(settings, records);
    }

    /**
     * Something flagged appointments depend on changed (their patient's chart, the plan's coverage row, the
     * procedure's catalog price, their enrollment): each flagged appointment that names it is checked and, when its
     * items clear, deducted and billed now rather than at its own next change.
     */
    private List<Result> recheck(Connection c, String entity, String id, JsonNode record, Cause cause)
            throws SQLException {
        List<Result> out = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (dev.ponte.store.ReviewList.Item item : dev.ponte.store.ReviewList.open(c, null, RECHECK_LIMIT)) {
            if (!BookingChecks.ENTITY.equals(item.entity()) || !seen.add(item.recordId())) {
                continue;
            }
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> a = ClinicRecords.read(c, BookingChecks.ENTITY,
                    item.recordId());
            if (a.isPresent() && names(a.get(), entity, id, record)) {
                out.add(changed(c, BookingChecks.ENTITY, item.recordId(), a.get(), cause));
            }
        }
        return out;
    }

    private static boolean names(JsonNode appointment, String entity, String id, JsonNode record) {
        return switch (entity) {
            case "Patient" -> id.equals(appointment.path("patientId").asText(null));
            case "PackageEnrollment" -> id.equals(appointment.path("enrollmentId").asText(null));
            case "Procedure" -> id.equals(appointment.path("procedureCode").asText(null));
            case "Coverage" -> appointment.path("insurancePlanId").asText("").equals(record.path("insurancePlanId")
                    .asText(null)) && appointment.path("procedureCode").asText("").equals(record.path(
                    "procedureCode").asText(null));
            default -> false;
        };
    }

    public ClinicSettings settings() {
        return settings;
    }

    /**
     * A change of one of {@link #ENTITIES}.
     *
     * @param record the record as the store holds it now
     */
    public Result changed(Connection c, String entity, String id, JsonNode record, Cause cause) throws SQLException {
        Instant now = clock.instant();
        ClinicRecords.Cause why = new ClinicRecords.Cause(cause.eventId(), cause.correlationId());
        switch (entity) {
            case "Appointment" -> {
                Optional<Appointment> a = ClinicRecords.typed(record, Appointment.class);
                if (a.isEmpty()) {
                    LOG.warn("clinic flows: Appointment {} is not readable as an appointment; skipped", id);
                    return new Result(List.of(), "NONE", "NONE", List.of());
                }
                List<ClinicRules.BookingFinding> findings = booking.check(c, id, a.get(), now);
                PackageSessions.Change session = packages.appointmentChanged(c, id, a.get(), why, now);
                Billing.Outcome billed = billing.appointmentChanged(c, id, a.get(), !findings.isEmpty(), why, now);
                return new Result(findings.stream().map(ClinicRules.BookingFinding::rule).toList(), session.name(),
                        billed.decision(), billed.charges());
            }
            case "PackageEnrollment" -> {
                Optional<PackageEnrollment> e = ClinicRecords.typed(record, PackageEnrollment.class);
                List<String> charges = new java.util.ArrayList<>();
                List<String> deducted = packages.enrollmentChanged(c, id, why, now);
                for (String appointmentId : deducted) { // sessions refused before, taken now: billed now
                    Optional<Appointment> a = ClinicRecords.typed(c, Appointment.class, appointmentId);
                    if (a.isPresent()) {
                        boolean flagged = !dev.ponte.store.ReviewList.open(c, BookingChecks.ENTITY, appointmentId)
                                .isEmpty();
                        charges.addAll(billing.appointmentChanged(c, appointmentId, a.get(), flagged, why, now)
                                .charges());
                    }
                }
                Billing.Outcome billed = e.isEmpty() ? Billing.Outcome.none("unreadable")
                        : billing.enrollmentChanged(c, id, e.get(), why, now);
                charges.addAll(billed.charges());
                recheck(c, entity, id, record, cause).forEach(r -> charges.addAll(r.charges()));
                return new Result(List.of(), deducted.isEmpty() ? "NONE" : "USED", billed.decision(), charges);
            }
            case "Payment" -> {
                Optional<Payment> p = ClinicRecords.typed(record, Payment.class);
                Billing.Outcome billed = p.isEmpty() ? Billing.Outcome.none("unreadable")
                        : billing.paymentChanged(c, id, p.get(), why, now);
                return new Result(List.of(), "NONE", billed.decision(), billed.charges());
            }
            case "Patient", "Coverage", "Procedure" -> {
                List<String> charges = recheck(c, entity, id, record, cause).stream()
                        .flatMap(r -> r.charges().stream()).toList();
                return new Result(List.of(), "NONE", charges.isEmpty() ? "NONE" : "CHARGED", charges);
            }
            case "Charge" -> {
                String rule = billing.chargeChanged(c, id, record, why, now);
                return new Result(rule == null ? List.of() : List.of(rule), "NONE", "NONE", List.of());
            }
            default -> throw new IllegalArgumentException("the clinic flows do not act on " + entity);
        }
    }
}
