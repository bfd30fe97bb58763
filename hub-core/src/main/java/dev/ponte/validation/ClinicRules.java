package dev.ponte.validation;

import dev.ponte.model.Appointment;
import dev.ponte.model.AppointmentStatus;
import dev.ponte.model.BillingMode;
import dev.ponte.model.Charge;
import dev.ponte.model.Consent;
import dev.ponte.model.Coverage;
import dev.ponte.model.InsurancePlan;
import dev.ponte.model.Message;
import dev.ponte.model.PackageEnrollment;
import dev.ponte.model.Patient;
import dev.ponte.model.Payer;
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
 * The clinic's cross-field and cross-entity rules, all in one place, each with a stable id from {@link Rules}.
 * Field-level constraints (CPF, required, formats) are Bean Validation annotations on the model instead.
 * Stateless and thread safe.
 */
final class ClinicRules {

    private static final Map<Class<?>, List<RecordComponent>> REFERENCE_FIELDS = new ConcurrentHashMap<>();

    private ClinicRules() {
    }

    /** Every rule that applies to this entity, with references checked against the catalog. */
    static List<Finding> check(Record entity, ReferenceCatalog catalog) {
        List<Finding> out = new ArrayList<>(references(entity, catalog));
        if (entity instanceof Appointment a) {
            appointment(a, catalog, out);
        } else if (entity instanceof Procedure p) {
            procedure(p, out);
        } else if (entity instanceof PackageEnrollment e) {
            enrollment(e, out);
        } else if (entity instanceof Charge c) {
            charge(c, catalog, out);
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

    private static void appointment(Appointment a, ReferenceCatalog catalog, List<Finding> out) {
        if (a.start() != null && a.end() != null && !a.end().isAfter(a.start())) {
            out.add(Finding.of("end", Rules.END_BEFORE_START, a.end().toLocalTime(), "start", a.start().toLocalTime()));
        }
        if (a.status() == AppointmentStatus.ATTENDED && a.insurancePlanId() == null && a.enrollmentId() == null
                && a.price() == null) {
            out.add(Finding.of("price", Rules.ATTENDED_PRIVATE_NEEDS_PRICE, null));
        }
        coverage(catalog, a.insurancePlanId(), a.procedureCode()).ifPresent(c -> {
            if (!Boolean.TRUE.equals(c.covered())) {
                out.add(Finding.of("procedureCode", Rules.INSURANCE_NOT_COVERED, a.procedureCode(),
                        "plan", a.insurancePlanId(), "procedure", a.procedureCode()));
            } else if (Boolean.TRUE.equals(c.authorizationRequired()) && a.authorizationCode() == null) {
                out.add(Finding.of("authorizationCode", Rules.INSURANCE_NEEDS_AUTHORIZATION, null));
            }
        });
    }

    private static Optional<Coverage> coverage(ReferenceCatalog catalog, String planId, String procedureCode) {
        if (planId == null || procedureCode == null) {
            return Optional.empty();
        }
        Optional<InsurancePlan> plan = catalog.find(InsurancePlan.class, planId);
        if (plan.isEmpty() || plan.get().coverages() == null) {
            return Optional.empty();
        }
        Optional<Coverage> found = plan.get().coverages().stream()
                .filter(c -> procedureCode.equals(c.procedureCode())).findFirst();
        // a known plan that does not list the procedure does not cover it
        return Optional.of(found.orElse(new Coverage(procedureCode, false, null, null, null)));
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

    private static void charge(Charge c, ReferenceCatalog catalog, List<Finding> out) {
        if (c.payer() == Payer.INSURANCE && c.amount() != null && c.appointmentId() != null) {
            catalog.find(Appointment.class, c.appointmentId())
                    .flatMap(a -> coverage(catalog, c.insurancePlanId(), a.procedureCode()))
                    .filter(cov -> cov.allowedAmount() != null && c.amount().compareTo(cov.allowedAmount()) > 0)
                    .ifPresent(cov -> out.add(Finding.of("amount", Rules.CHARGE_EXCEEDS_COVERAGE, c.amount(),
                            "allowed", cov.allowedAmount())));
        }
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
