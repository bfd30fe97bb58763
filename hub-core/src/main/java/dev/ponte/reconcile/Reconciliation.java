package dev.ponte.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.fiscal.ChargeTrigger;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daily reconciliation: what is booked, what is billed and what is invoiced must agree. Reads the canonical
 * store as it stands and reports every disagreement as of a day, one {@link Finding} per record, each with its rule:
 * <ul>
 *   <li>{@value #ATTENDED_NOT_CHARGED}: an appointment ATTENDED on or before the day that no charge names (an
 *       appointment of an UPFRONT package is paid at enrollment and is not expected to have one);</li>
 *   <li>{@value #CHARGED_NOT_PAID}: a charge due before the day, not cancelled, not paid (status or payments);</li>
 *   <li>{@value #PAID_NOT_INVOICED}: a paid charge due on or before the day with no invoice number from its source
 *       and no Invoice record, or only a REJECTED or CANCELLED one (a cancelled document of a paid charge is for
 *       the accountant to look at; charges before {@code from}, the fiscal history cut-off, are left out);</li>
 *   <li>{@value #INVOICED_NOT_PAID}: an AUTHORIZED invoice whose charge is not paid;</li>
 *   <li>{@value #INVOICE_AMOUNT_MISMATCH}: an invoice whose amount differs from its charge's;</li>
 *   <li>{@value #PACKAGE_SESSIONS_MISMATCH}: an enrollment whose sessions used differ from its ATTENDED
 *       appointments.</li>
 * </ul>
 * Nothing is changed; findings never quote personal data (ids, amounts, dates and statuses only). Thread safe.
 */
public final class Reconciliation {

    public static final String ATTENDED_NOT_CHARGED = "attended-not-charged";
    public static final String CHARGED_NOT_PAID = "charged-not-paid";
    public static final String PAID_NOT_INVOICED = "paid-not-invoiced";
    public static final String INVOICED_NOT_PAID = "invoiced-not-paid";
    public static final String INVOICE_AMOUNT_MISMATCH = "invoice-amount-mismatch";
    public static final String PACKAGE_SESSIONS_MISMATCH = "package-sessions-mismatch";
    /** Every rule, in report order. */
    public static final List<String> RULES = List.of(ATTENDED_NOT_CHARGED, CHARGED_NOT_PAID, PAID_NOT_INVOICED,
            INVOICED_NOT_PAID, INVOICE_AMOUNT_MISMATCH, PACKAGE_SESSIONS_MISMATCH);

    /**
     * One disagreement.
     *
     * @param rule   one of {@link #RULES}
     * @param entity the record it is about ({@code Appointment}, {@code Charge}, {@code Invoice},
     *               {@code PackageEnrollment})
     * @param id     its canonical id
     * @param detail what disagrees, without personal data (amounts, dates, statuses, ids)
     */
    public record Finding(String rule, String entity, String id, String detail) {
    }

    private final ZoneId zone;
    private final LocalDate from;

    /**
     * @param zone the clinic's time zone (the day of an appointment)
     * @param from the fiscal history cut-off ({@code ponte.fiscal.from}), or null
     */
    public Reconciliation(ZoneId zone, LocalDate from) {
        this.zone = zone;
        this.from = from;
    }

    /** The findings as of {@code day}, by rule, then by record id. */
    public List<Finding> run(Connection c, LocalDate day) throws SQLException {
        Map<String, JsonNode> appointments = read(c, "Appointment");
        Map<String, JsonNode> charges = read(c, "Charge");
        Map<String, JsonNode> invoices = read(c, "Invoice");
        Map<String, JsonNode> enrollments = read(c, "PackageEnrollment");
        Map<String, List<String>> chargesByAppointment = new HashMap<>();
        charges.forEach((id, ch) -> {
            String a = text(ch, "appointmentId");
            if (a != null && !"CANCELLED".equals(text(ch, "status"))) {
                chargesByAppointment.computeIfAbsent(a, k -> new ArrayList<>()).add(id);
            }
        });
        Map<String, List<JsonNode>> invoicesByCharge = new HashMap<>();
        invoices.values().forEach(inv -> {
            String ch = text(inv, "chargeId");
            if (ch != null) {
                invoicesByCharge.computeIfAbsent(ch, k -> new ArrayList<>()).add(inv);
            }
        });
        List<Finding> out = new ArrayList<>();
        Map<String, Integer> attendedByEnrollment = new HashMap<>();
        appointments.forEach((id, a) -> {
            if (!"ATTENDED".equals(text(a, "status"))) {
                return;
            }
            String enrollment = text(a, "enrollmentId");
            if (enrollment != null) {
                attendedByEnrollment.merge(enrollment, 1, Integer::sum);
            }
            LocalDate on = day(text(a, "start"));
            if (on == null || on.isAfter(day) || chargesByAppointment.containsKey(id)) {
                return;
            }
            JsonNode e = enrollment == null ? null : enrollments.get(enrollment);
            if (e != null && "UPFRONT".equals(text(e, "billingMode"))) {
                return;
            }
            out.add(new Finding(ATTENDED_NOT_CHARGED, "Appointment", id, "attended on " + on + ", procedure "
                    + text(a, "procedureCode") + ", no charge names it"));
        });
        charges.forEach((id, ch) -> {
            String status = text(ch, "status");
            if ("CANCELLED".equals(status)) {
                return;
            }
            boolean paid = "PAID".equals(status) || ChargeTrigger.paymentsCover(ch);
            LocalDate due = date(text(ch, "dueDate"));
            if (!paid && due != null && due.isBefore(day)) {
                out.add(new Finding(CHARGED_NOT_PAID, "Charge", id, "due on " + due + ", R$ " + amount(ch)
                        + ", status " + status));
            }
            List<JsonNode> docs = invoicesByCharge.getOrDefault(id, List.of());
            boolean issued = text(ch, "invoiceNumber") != null || docs.stream().anyMatch(inv ->
                    !"REJECTED".equals(text(inv, "status")) && !"CANCELLED".equals(text(inv, "status")));
            if (paid && !issued && due != null && !due.isAfter(day) && (from == null || !due.isBefore(from))) {
                out.add(new Finding(PAID_NOT_INVOICED, "Charge", id, "paid, due on " + due + ", R$ " + amount(ch)
                        + (docs.isEmpty() ? ", no invoice" : ", its invoice is " + text(docs.get(0), "status"))));
            }
            for (JsonNode inv : docs) {
                String invoiceId = text(inv, "id");
                if ("AUTHORIZED".equals(text(inv, "status")) && !paid) {
                    out.add(new Finding(INVOICED_NOT_PAID, "Invoice", invoiceId, "AUTHORIZED for Charge " + id
                            + " (status " + status + ")"));
                }
                BigDecimal ia = ChargeTrigger.decimal(inv.get("amount"));
                BigDecimal ca = ChargeTrigger.decimal(ch.get("amount"));
                if (ia != null && ca != null && ia.compareTo(ca) != 0 && !"CANCELLED".equals(text(inv, "status"))) {
                    out.add(new Finding(INVOICE_AMOUNT_MISMATCH, "Invoice", invoiceId, "R$ " + ia.toPlainString()
                            + " for Charge " + id + " of R$ " + ca.toPlainString()));
                }
            }
        });
        enrollments.forEach((id, e) -> {
            JsonNode used = e.get("sessionsUsed");
            if (used == null || used.isNull()) {
                return;
            }
            int attended = attendedByEnrollment.getOrDefault(id, 0);
            if (used.asInt() != attended) {
                out.add(new Finding(PACKAGE_SESSIONS_MISMATCH, "PackageEnrollment", id, used.asInt()
                        + " session(s) used, " + attended + " attended appointment(s)"));
            }
        });
        out.sort(Comparator.comparingInt((Finding f) -> RULES.indexOf(f.rule())).thenComparing(Finding::id));
        return out;
    }

    /** The number of findings of each rule (every rule, zero included), in report order. */
    public static Map<String, Integer> counts(List<Finding> findings) {
        Map<String, Integer> out = new LinkedHashMap<>();
        RULES.forEach(r -> out.put(r, 0));
        findings.forEach(f -> out.merge(f.rule(), 1, Integer::sum));
        return out;
    }

    private LocalDate day(String start) {
        if (start == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(start).atZoneSameInstant(zone).toLocalDate();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String amount(JsonNode charge) {
        BigDecimal a = ChargeTrigger.decimal(charge.get("amount"));
        return a == null ? "?" : a.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, JsonNode> read(Connection c, String entity) throws SQLException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : CanonicalStore.payloads(c, entity).entrySet()) {
            try {
                out.put(e.getKey(), Json.MAPPER.readTree(e.getValue()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(entity + " " + e.getKey() + " is stored as invalid JSON", ex);
            }
        }
        return out;
    }
}
