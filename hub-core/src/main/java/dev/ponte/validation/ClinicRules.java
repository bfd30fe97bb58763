package dev.ponte.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.Appointment;
import dev.ponte.model.AppointmentStatus;
import dev.ponte.model.BillingMode;
import dev.ponte.model.Charge;
import dev.ponte.model.Consent;
import dev.ponte.model.Coverage;
import dev.ponte.model.Message;
import dev.ponte.model.PackageEnrollment;
import dev.ponte.model.Patient;
import dev.ponte.model.Payment;
import dev.ponte.model.Procedure;
import dev.ponte.model.ProcedureKind;
import dev.ponte.model.References;
import dev.ponte.model.SkinTest;
import dev.ponte.model.SkinTestStatus;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clinic's cross-field and cross-entity rules, all in one place, each with a stable id from {@link Rules}:
 * {@link #check} rejects a record at import (its data cannot be right: an end before its start); {@link #booking}
 * flags a booked appointment for review (a fact the clinic must complete: a chart field, a price, a coverage), which
 * is stored and never billed while flagged. Field-level constraints (CPF, required, formats) are Bean Validation
 * annotations on the model instead.
 * Stateless and thread safe.
 */
public final class ClinicRules {

    private static final Map<Class<?>, List<RecordComponent>> REFERENCE_FIELDS = new ConcurrentHashMap<>();

    private ClinicRules() {
    }

    /** Every rule that applies to this entity, with references checked against the catalog. */
    static List<Finding> check(Record entity, ReferenceCatalog catalog) {
        List<Finding> out = new ArrayList<>(references(entity, catalog));
        if (entity instanceof Appointment a) {
            appointment(a, out);
        } else if (entity instanceof Procedure p) {
            procedure(p, out);
        } else if (entity instanceof PackageEnrollment e) {
            enrollment(e, out);
        } else if (entity instanceof Charge c) {
            charge(c, out);
        } else if (entity instanceof Message m) {
            message(m, catalog, out);
        } else if (entity instanceof SkinTest s) {
            skinTest(s, out);
        }
        return out;
    }

    /** {@code unknown-reference}: every {@link References} field must point at an entity the catalog knows. */
    private static List<Finding> references(Record entity, ReferenceCatalog catalog) {
        List<Finding> out = new ArrayList<>();
        for (RecordComponent rc : REFERENCE_FIELDS.computeIfAbsent(entity.getClass(), ClinicRules::referenceFields)) {
            Class<?> target = rc.getAnnotation(References.class).value();
            Object key;
            try {
                key = rc.getAccessor().invoke(entity);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + rc, e);
            }
            if (key != null && catalog.holds(target.getSimpleName()) && !catalog.contains(target, key.toString())) {
                out.add(Finding.of(rc.getName(), Rules.UNKNOWN_REFERENCE, key, "entity", target.getSimpleName()));
            }
        }
        return out;
    }

    private static List<RecordComponent> referenceFields(Class<?> type) {
        List<RecordComponent> out = new ArrayList<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            if (rc.isAnnotationPresent(References.class)) {
                out.add(rc);
            }
        }
        return out;
    }

    private static void appointment(Appointment a, List<Finding> out) {
        if (a.start() != null && a.end() != null && !a.end().isAfter(a.start())) {
            out.add(Finding.of("end", Rules.END_BEFORE_START, a.end().toLocalTime(), "start", a.start().toLocalTime()));
        }
    }

    /**
     * What the booking checks know of an appointment's world, read from the store by the caller.
     *
     * @param patient        the appointment's patient record, or null when the hub holds none (no chart)
     * @param procedure      the appointment's procedure in the catalog, or null
     * @param enrollment     the package enrollment the appointment uses, or null
     * @param coverage       the plan's coverage row for the appointment's procedure, or null when the plan's table
     *                       has none
     * @param requiredFields the Patient fields the clinic requires on a chart
     *                       ({@code ponte.flows.booking.required-fields})
     */
    public record BookingFacts(JsonNode patient, Procedure procedure, PackageEnrollment enrollment, Coverage coverage,
                               List<String> requiredFields) {
    }

    /**
     * A booking check that failed: a rule id with its arguments; a person must look at it (the review list), and the
     * appointment is never billed while it stands.
     *
     * @param field the canonical path concerned ({@code Appointment.price}, {@code Patient.cpf})
     */
    public record BookingFinding(String rule, String field, Map<String, Object> args) {

        /** The finding as one sentence in pt-BR or en. */
        public String message(java.util.Locale locale) {
            return Messages.format(rule, locale, args);
        }
    }

    /**
     * The booking checks of an appointment (on {@code appointment.upserted}): the patient's chart exists with the
     * fields the clinic requires ({@value Rules#CHART_MISSING}, {@value Rules#CHART_FIELD_MISSING}); the price is
     * defined by the appointment, the patient's package or the plan's coverage ({@value Rules#PRICE_UNDEFINED}); an
     * insurance appointment's procedure is in the plan's table ({@value Rules#INSURANCE_COVERAGE_UNKNOWN}), covered
     * ({@value Rules#INSURANCE_NOT_COVERED}) and authorized when the plan requires it
     * ({@value Rules#INSURANCE_NEEDS_AUTHORIZATION}); the package it names is held ({@value Rules#PACKAGE_UNKNOWN}).
     * A cancelled or rescheduled appointment has nothing to check.
     * Never throws on missing data: what is missing is a finding.
     */
    public static List<BookingFinding> booking(Appointment a, BookingFacts facts) {
        List<BookingFinding> out = new ArrayList<>();
        if (a.status() == AppointmentStatus.CANCELLED || a.status() == AppointmentStatus.RESCHEDULED) {
            return out;
        }
        if (facts.patient() == null) {
            out.add(booking(Rules.CHART_MISSING, "Appointment.patientId", "patient", a.patientId()));
        } else {
            for (String field : facts.requiredFields()) {
                JsonNode value = facts.patient().get(field);
                if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())
                        || (value.isContainerNode() && value.isEmpty())) {
                    out.add(booking(Rules.CHART_FIELD_MISSING, "Patient." + field, "chartField", field,
                            "patient", a.patientId()));
                }
            }
        }
        if (a.enrollmentId() != null && facts.enrollment() == null) {
            out.add(booking(Rules.PACKAGE_UNKNOWN, "Appointment.enrollmentId", "enrollment", a.enrollmentId()));
            return out;
        }
        if (a.enrollmentId() != null) {
            if (facts.enrollment().billingMode() == BillingMode.PER_SESSION && (facts.procedure() == null
                    || facts.procedure().price() == null)) {
                out.add(booking(Rules.PRICE_UNDEFINED, "Procedure.price", "why", "per-session package "
                        + a.enrollmentId() + ", no catalog price for " + a.procedureCode()));
            }
            return out;
        }
        if (a.insurancePlanId() != null) {
            Coverage c = facts.coverage();
            if (c == null) {
                out.add(booking(Rules.INSURANCE_COVERAGE_UNKNOWN, "Appointment.procedureCode", "plan",
                        a.insurancePlanId(), "procedure", a.procedureCode()));
            } else if (!Boolean.TRUE.equals(c.covered())) {
                out.add(booking(Rules.INSURANCE_NOT_COVERED, "Appointment.procedureCode", "plan",
                        a.insurancePlanId(), "procedure", a.procedureCode()));
            } else {
                if (Boolean.TRUE.equals(c.authorizationRequired()) && (a.authorizationCode() == null
                        || a.authorizationCode().isBlank())) {
                    out.add(booking(Rules.INSURANCE_NEEDS_AUTHORIZATION, "Appointment.authorizationCode", "plan",
                            a.insurancePlanId(), "procedure", a.procedureCode()));
                }
                if (c.allowedAmount() == null) {
                    out.add(booking(Rules.PRICE_UNDEFINED, "Coverage.allowedAmount", "why", "plan "
                            + a.insurancePlanId() + " covers " + a.procedureCode() + " without an allowed amount"));
                }
            }
            return out;
        }
        if (a.price() == null) {
            out.add(booking(Rules.PRICE_UNDEFINED, "Appointment.price", "why", "a private appointment without a "
                    + "price, outside a package"));
        }
        return out;
    }

    private static BookingFinding booking(String rule, String field, Object... keyValues) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new BookingFinding(rule, field, args);
    }

    private static void procedure(Procedure p, List<Finding> out) {
        if (p.kind() == ProcedureKind.SERVICE && p.serviceItem() == null) {
            out.add(Finding.of("serviceItem", Rules.SERVICE_NEEDS_LC116_ITEM, null));
        }
        if (p.kind() == ProcedureKind.PRODUCT && p.ncm() == null) {
            out.add(Finding.of("ncm", Rules.PRODUCT_NEEDS_NCM, null));
        }
    }

    private static void enrollment(PackageEnrollment e, List<Finding> out) {
        if (e.billingMode() == BillingMode.UPFRONT && e.totalPrice() == null) {
            out.add(Finding.of("totalPrice", Rules.UPFRONT_PACKAGE_NEEDS_PRICE, null));
        }
        if (e.sessionsTotal() != null && e.sessionsUsed() != null) {
            if (e.sessionsUsed() > e.sessionsTotal()) {
                out.add(Finding.of("sessionsUsed", Rules.SESSIONS_EXCEED_TOTAL, e.sessionsUsed(),
                        "total", e.sessionsTotal()));
            }
            int expected = e.sessionsTotal() - e.sessionsUsed();
            if (e.sessionsBalance() != null && e.sessionsBalance() != expected) {
                out.add(Finding.of("sessionsBalance", Rules.SESSION_BALANCE_MISMATCH, e.sessionsBalance(),
                        "expected", expected));
            }
        }
    }

    private static void charge(Charge c, List<Finding> out) {
        if (c.payments() != null && c.amount() != null) {
            BigDecimal paid = c.payments().stream().map(Payment::amount).filter(java.util.Objects::nonNull)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (paid.compareTo(c.amount()) > 0) {
                out.add(Finding.of("amount", Rules.PAYMENTS_EXCEED_CHARGE, c.amount(), "paid", paid));
            }
        }
    }

    private static void message(Message m, ReferenceCatalog catalog, List<Finding> out) {
        if (m.patientId() == null || m.channel() == null || m.purpose() == null) {
            return;
        }
        catalog.find(Patient.class, m.patientId()).ifPresent(p -> {
            boolean granted = p.consents() != null && p.consents().stream()
                    .filter(c -> c.channel() == m.channel() && c.purpose() == m.purpose())
                    .map(Consent::granted).anyMatch(Boolean.TRUE::equals);
            if (!granted) {
                out.add(Finding.of("channel", Rules.MESSAGE_NEEDS_CONSENT, m.channel(),
                        "channel", m.channel(), "purpose", m.purpose()));
            }
        });
    }

    private static void skinTest(SkinTest s, List<Finding> out) {
        boolean hasResult = s.status() == SkinTestStatus.SATISFACTORY || s.status() == SkinTestStatus.UNSATISFACTORY;
        if (hasResult && s.performedAt() == null) {
            out.add(Finding.of("performedAt", Rules.SKIN_TEST_RESULT_NEEDS_DATE, null));
        }
        if (s.performedAt() != null && s.expiresOn() != null
                && s.expiresOn().isBefore(s.performedAt().toLocalDate())) {
            out.add(Finding.of("expiresOn", Rules.SKIN_TEST_EXPIRES_BEFORE_PERFORMED, s.expiresOn()));
        }
    }
}
