package dev.ponte.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.model.Appointment;
import dev.ponte.model.AppointmentStatus;
import dev.ponte.model.BillingMode;
import dev.ponte.model.Charge;
import dev.ponte.model.ChargeStatus;
import dev.ponte.model.Coverage;
import dev.ponte.model.PackageEnrollment;
import dev.ponte.model.Payer;
import dev.ponte.model.Payment;
import dev.ponte.model.Procedure;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.ClinicLedger;
import dev.ponte.store.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attendance → billing: an ATTENDED appointment becomes its Charges, once, in the transaction that records the
 * decision ({@code clinic_billing}):
 * <ul>
 *   <li>a PER_SESSION package: one PATIENT charge at the procedure's catalog price; an UPFRONT package: none (the
 *       package was charged at enrollment, {@link #enrollmentChanged}); either only once the appointment's session
 *       was deducted (a refused session is not billed);</li>
 *   <li>an insurance plan: the plan's coverage row gives the allowed amount; the patient's part (copay plus copay %
 *       of it, at most all of it) is a PATIENT charge, the rest an INSURANCE charge naming the plan;</li>
 *   <li>private: one PATIENT charge at the appointment's price.</li>
 * </ul>
 * Never billed: an appointment with an open review item (price undefined, not covered, no authorization...: it is
 * billed when a later change clears them), one before {@link ClinicSettings#billingFrom()} (history: the source
 * system billed it), one a Charge from a source already names. A Payment record from a source (a webhook, a finance
 * export) is applied to its charge once, making it PARTIALLY_PAID or PAID (or, when the charge is not held yet, when
 * it arrives). A source's Charge for an appointment the hub charged is flagged {@value #CHARGED_TWICE}. Logs ids and
 * amounts, never names.
 */
final class Billing {

    static final String BILLING_FROM_SETTING = "billing.from";
    private static final Logger LOG = LoggerFactory.getLogger(Billing.class);

    /** What billing did for one change. */
    record Outcome(String decision, List<String> charges, String detail) {
        static Outcome none(String why) {
            return new Outcome("NONE", List.of(), why);
        }
    }

    private final ClinicSettings settings;
    private final ClinicRecords records;

    Billing(ClinicSettings settings, ClinicRecords records) {
        this.settings = settings;
        this.records = records;
    }

    /** The first day the hub bills: the setting, else the day of the first run, fixed in the store then. */
    LocalDate billingFrom(Connection c, Instant now) throws SQLException {
        if (settings.billingFrom() != null) {
            return settings.billingFrom();
        }
        return LocalDate.parse(ClinicLedger.settingOrFix(c, BILLING_FROM_SETTING,
                LocalDate.ofInstant(now, settings.zone()).toString()));
    }

    Outcome appointmentChanged(Connection c, String id, Appointment a, boolean flagged, ClinicRecords.Cause cause,
                               Instant now) throws SQLException {
        if (!settings.billing() || a.status() != AppointmentStatus.ATTENDED) {
            return Outcome.none("not attended");
        }
        String key = "appointment:" + id;
        if (ClinicLedger.billed(c, key).isPresent()) {
            return Outcome.none("billed already");
        }
        LocalDate day = a.start().atZoneSameInstant(settings.zone()).toLocalDate();
        LocalDate from = billingFrom(c, now);
        if (day.isBefore(from)) {
            return Outcome.none("attended on " + day + ", before " + ClinicSettings.BILLING_FROM + " " + from
                    + ": history, billed by the source system");
        }
        if (flagged) {
            LOG.info("billing: Appointment {} is attended but flagged for review; not billed", id);
            return new Outcome("REVIEW", List.of(), "open review items");
        }
        Optional<String> bySource = chargeNaming(c, id);
        if (bySource.isPresent()) {
            return decide(c, key, "BY_SOURCE", List.of(), "Charge " + bySource.get() + " from a source names it", now);
        }
        LocalDate due = day.plusDays(settings.dueDays());
        List<Charge> charges = new ArrayList<>();
        String detail;
        if (a.enrollmentId() != null) {
            PackageEnrollment e = ClinicRecords.typed(c, PackageEnrollment.class, a.enrollmentId()).orElse(null);
            if (e == null) {
                return new Outcome("REVIEW", List.of(), "PackageEnrollment " + a.enrollmentId() + " not held");
            }
            if (ClinicLedger.session(c, id).orElse(null) != ClinicLedger.SessionState.USED) {
                return new Outcome("REVIEW", List.of(), "no session of " + a.enrollmentId() + " deducted");
            }
            if (e.billingMode() == BillingMode.UPFRONT) {
                return decide(c, key, "PACKAGE", List.of(), "session of up-front package " + a.enrollmentId(), now);
            }
            BigDecimal price = ClinicRecords.typed(c, Procedure.class, a.procedureCode()).map(Procedure::price)
                    .orElse(null);
            if (price == null) {
                return new Outcome("REVIEW", List.of(), "no catalog price for " + a.procedureCode());
            }
            charges.add(charge(a, id, due, money(price), Payer.PATIENT, null, "Sessão do pacote "
                    + (e.packageName() == null ? a.enrollmentId() : e.packageName())));
            detail = "per-session package " + a.enrollmentId();
        } else if (a.insurancePlanId() != null) {
            Coverage cov = BookingChecks.coverage(c, a.insurancePlanId(), a.procedureCode());
            if (cov == null || !Boolean.TRUE.equals(cov.covered()) || cov.allowedAmount() == null) {
                return new Outcome("REVIEW", List.of(), "no usable coverage");
            }
            BigDecimal allowed = money(cov.allowedAmount());
            BigDecimal patient = patientPart(cov, allowed);
            BigDecimal plan = allowed.subtract(patient);
            if (patient.signum() > 0) {
                charges.add(charge(a, id, due, patient, Payer.PATIENT, a.insurancePlanId(), "Coparticipação "
                        + a.procedureCode()));
            }
            if (plan.signum() > 0) {
                charges.add(charge(a, id, due, plan, Payer.INSURANCE, a.insurancePlanId(), "Convênio "
                        + a.insurancePlanId() + " " + a.procedureCode()));
            }
            detail = "plan " + a.insurancePlanId() + ": allowed " + allowed + ", patient " + patient + ", plan " + plan;
        } else {
            if (a.price() == null) {
                return new Outcome("REVIEW", List.of(), "price undefined");
            }
            charges.add(charge(a, id, due, money(a.price()), Payer.PATIENT, null, "Atendimento " + a.procedureCode()));
            detail = "private";
        }
        return make(c, key, charges, detail, cause, now);
    }

    /** An UPFRONT enrollment with a price, enrolled from the first billing day on: one charge for the package. */
    Outcome enrollmentChanged(Connection c, String id, PackageEnrollment e, ClinicRecords.Cause cause, Instant now)
            throws SQLException {
        if (!settings.billing() || e.billingMode() != BillingMode.UPFRONT || e.totalPrice() == null
                || e.totalPrice().signum() <= 0) {
            return Outcome.none("nothing to charge at enrollment");
        }
        String key = "enrollment:" + id;
        if (ClinicLedger.billed(c, key).isPresent()) {
            return Outcome.none("billed already");
        }
        LocalDate from = billingFrom(c, now);
        if (e.enrolledOn().isBefore(from)) {
            return Outcome.none("enrolled on " + e.enrolledOn() + ", before " + ClinicSettings.BILLING_FROM + " " + from
                    + ": history");
        }
        Charge charge = new Charge(Ids.newId(), e.patientId(), null, e.enrolledOn().plusDays(settings.dueDays()),
                money(e.totalPrice()), ChargeStatus.OPEN, Payer.PATIENT, null, "Pacote " + (e.packageName() == null
                ? id : e.packageName()), null, null);
        return make(c, key, List.of(charge), "up-front package", cause, now);
    }

    /** A Payment record: added to its charge's payments once; the charge becomes PARTIALLY_PAID or PAID. */
    Outcome paymentChanged(Connection c, String id, Payment p, ClinicRecords.Cause cause, Instant now)
            throws SQLException {
        if (p.chargeId() == null || ClinicLedger.paymentApplied(c, id)) {
            return Outcome.none(p.chargeId() == null ? "no charge named" : "applied already");
        }
        Optional<ObjectNode> before = ClinicRecords.read(c, "Charge", p.chargeId());
        if (before.isEmpty()) {
            ClinicLedger.paymentPending(c, id, p.chargeId(), now);
            LOG.info("billing: Payment {} names Charge {}, which the hub does not hold yet; applied when it arrives",
                    id, p.chargeId());
            return Outcome.none("charge not held yet");
        }
        ObjectNode after = before.get().deepCopy();
        ArrayNode payments = after.has("payments") && after.get("payments").isArray()
                ? (ArrayNode) after.get("payments") : after.putArray("payments");
        for (JsonNode existing : payments) {
            if (id.equals(existing.path("id").asText(null))) {
                ClinicLedger.paymentApplied(c, id, p.chargeId(), now);
                return Outcome.none("on the charge already");
            }
        }
        ObjectNode entry = Json.MAPPER.createObjectNode().put("id", id).put("chargeId", p.chargeId())
                .put("paidOn", p.paidOn().toString()).put("amount", money(p.amount()));
        if (p.method() != null) {
            entry.put("method", p.method().name());
        }
        payments.add(entry);
        BigDecimal paid = BigDecimal.ZERO;
        for (JsonNode x : payments) {
            if (x.hasNonNull("amount")) {
                paid = paid.add(x.get("amount").decimalValue());
            }
        }
        BigDecimal amount = after.path("amount").decimalValue();
        String was = after.path("status").asText();
        // a cancelled charge stays cancelled (the money is recorded on it, for a person to refund or re-charge)
        String status = ChargeStatus.CANCELLED.name().equals(was) ? was : paid.compareTo(amount) >= 0
                ? ChargeStatus.PAID.name() : paid.signum() > 0 ? ChargeStatus.PARTIALLY_PAID.name() : was;
        if (ChargeStatus.CANCELLED.name().equals(was)) {
            LOG.warn("billing: Payment {} names Charge {}, which is CANCELLED; recorded on it, status kept", id,
                    p.chargeId());
        }
        after.put("status", status);
        records.update(c, "Charge", p.chargeId(), before.get(), after, cause, now);
        ClinicLedger.paymentApplied(c, id, p.chargeId(), now);
        AuditLog.append(c, "hub", "charge.payment", "Charge/" + p.chargeId(), "Payment " + id + " of "
                + money(p.amount()) + ", charge " + status, null, now);
        LOG.info("billing: Payment {} applied to Charge {} ({} of {}): {}", id, p.chargeId(), paid, amount, status);
        return new Outcome("PAID", List.of(p.chargeId()), status);
    }

    /**
     * A Charge was created or changed: payments that waited for it are applied now; a Charge from a source that
     * names an appointment the hub charged already is a duplicate for a person to settle ({@value #CHARGED_TWICE}
     * on the appointment's review list).
     *
     * @return the rule opened on the appointment, or null
     */
    String chargeChanged(Connection c, String id, JsonNode charge, ClinicRecords.Cause cause, Instant now)
            throws SQLException {
        for (String paymentId : ClinicLedger.takePendingPayments(c, id)) {
            Optional<Payment> p = ClinicRecords.typed(c, Payment.class, paymentId);
            if (p.isPresent() && id.equals(p.get().chargeId())) {
                paymentChanged(c, paymentId, p.get(), cause, now);
            }
        }
        String appointmentId = charge.path("appointmentId").asText(null);
        Optional<ClinicLedger.Billed> billed = appointmentId == null ? Optional.empty()
                : ClinicLedger.billed(c, "appointment:" + appointmentId);
        boolean twice = billed.isPresent() && "CHARGED".equals(billed.get().outcome())
                && !List.of(billed.get().charges().split(",")).contains(id)
                && !ChargeStatus.CANCELLED.name().equals(charge.path("status").asText());
        List<dev.ponte.store.ReviewList.Finding> findings = new ArrayList<>();
        if (twice) {
            findings.add(new dev.ponte.store.ReviewList.Finding(CHARGED_TWICE, "Charge.appointmentId",
                    dev.ponte.validation.Messages.format(CHARGED_TWICE, dev.ponte.validation.Messages.EN, Map.of(
                            "charge", id, "appointment", appointmentId, "charges", billed.get().charges()))));
        }
        // on the source's charge: open while both stand, resolved when it is cancelled
        if (!dev.ponte.store.ReviewList.sync(c, "Charge", id, findings, now).isEmpty()) {
            LOG.warn("billing: Charge {} from a source names Appointment {}, which the hub charged already ({})", id,
                    appointmentId, billed.get().charges());
        }
        return twice ? CHARGED_TWICE : null;
    }

    /** The review rule of an appointment charged by the hub and by a source. */
    static final String CHARGED_TWICE = dev.ponte.validation.Rules.CHARGED_TWICE;

    /** The patient's part of an allowed amount: copay plus copay % of it, at most all of it. */
    static BigDecimal patientPart(Coverage cov, BigDecimal allowed) {
        BigDecimal part = cov.copay() == null ? BigDecimal.ZERO : cov.copay();
        if (cov.copayPercent() != null) {
            part = part.add(allowed.multiply(cov.copayPercent()).divide(BigDecimal.valueOf(100), 2,
                    RoundingMode.HALF_UP));
        }
        return money(part.min(allowed).max(BigDecimal.ZERO));
    }

    private Outcome make(Connection c, String key, List<Charge> charges, String detail, ClinicRecords.Cause cause,
                         Instant now) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (Charge charge : charges) {
            records.create(c, charge, charge.id(), "hub|Charge|" + key + "|" + charge.payer(), cause, now);
            ids.add(charge.id());
            AuditLog.append(c, "hub", "charge.create", "Charge/" + charge.id(), key + ", " + charge.payer() + " "
                    + charge.amount() + (charge.insurancePlanId() == null ? "" : ", plan " + charge.insurancePlanId()),
                    null, now);
        }
        LOG.info("billing: {} → Charges {} ({})", key, ids, detail);
        return decide(c, key, "CHARGED", ids, detail, now);
    }

    private static Outcome decide(Connection c, String key, String outcome, List<String> charges, String detail,
                                  Instant now) throws SQLException {
        ClinicLedger.bill(c, new ClinicLedger.Billed(key, outcome, String.join(",", charges), detail), now);
        return new Outcome(outcome, charges, detail);
    }

    private static Charge charge(Appointment a, String id, LocalDate due, BigDecimal amount, Payer payer,
                                 String plan, String description) {
        return new Charge(Ids.newId(), a.patientId(), id, due, amount, ChargeStatus.OPEN, payer, plan, description,
                null, null);
    }

    /** A Charge from any source that names the appointment (the source system bills it), or empty. */
    private static Optional<String> chargeNaming(Connection c, String appointmentId) throws SQLException {
        for (Map.Entry<String, String> row : CanonicalStore.payloads(c, "Charge").entrySet()) {
            if (row.getValue().contains(appointmentId)) {
                try {
                    if (appointmentId.equals(Json.MAPPER.readTree(row.getValue()).path("appointmentId").asText(null))) {
                        return Optional.of(row.getKey());
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // unreadable: not a charge of this appointment
                }
            }
        }
        return Optional.empty();
    }

    private static BigDecimal money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }
}
