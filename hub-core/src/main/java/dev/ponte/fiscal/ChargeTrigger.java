package dev.ponte.fiscal;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Whether the configured trigger fires for a charge, read from canonical JSON: the pure part of {@link Invoicing}.
 * A cancelled charge and one whose invoice number the source gives never fire.
 */
public final class ChargeTrigger {

    private ChargeTrigger() {
    }

    /**
     * Why the trigger does not fire for this charge, or empty when it does.
     *
     * @param appointment the charge's appointment as the store holds it, or null (none, or not held)
     */
    static Optional<String> notDue(FiscalTriggerSettings.Trigger trigger, JsonNode charge, JsonNode appointment) {
        String status = text(charge, "status");
        if ("CANCELLED".equals(status)) {
            return Optional.of("the charge is CANCELLED");
        }
        if (text(charge, "invoiceNumber") != null) {
            return Optional.of("the source gives its invoice number (issued by the source system)");
        }
        return switch (trigger) {
            case ON_PAYMENT -> "PAID".equals(status) || paymentsCover(charge) ? Optional.empty()
                    : Optional.of("not paid (status " + (status == null ? "missing" : status)
                    + ", payments do not cover the amount)");
            case ON_ATTENDANCE -> {
                if (text(charge, "appointmentId") == null) {
                    yield Optional.of("no appointment, and " + FiscalTriggerSettings.TRIGGER + "=on-attendance "
                            + "invoices the charges of attended appointments");
                }
                String attended = appointment == null ? null : text(appointment, "status");
                yield "ATTENDED".equals(attended) ? Optional.empty() : Optional.of("its appointment is "
                        + (attended == null ? "not held by the hub" : attended) + ", not ATTENDED");
            }
            case OFF -> Optional.of(FiscalTriggerSettings.TRIGGER + " is off");
        };
    }

    /**
     * The payments' amounts add up to at least the charge's amount (a charge of no or an unreadable amount: no). With
     * status {@code PAID}, what "paid" means for invoicing, here and in {@code ponte invoice preview}.
     */
    public static boolean paymentsCover(JsonNode charge) {
        JsonNode payments = charge.get("payments");
        BigDecimal amount = decimal(charge.get("amount"));
        if (payments == null || !payments.isArray() || amount == null || amount.signum() <= 0) {
            return false;
        }
        BigDecimal paid = BigDecimal.ZERO;
        for (JsonNode p : payments) {
            BigDecimal a = decimal(p.get("amount"));
            if (a != null) {
                paid = paid.add(a);
            }
        }
        return paid.compareTo(amount) >= 0;
    }

    /** A money value as written (number or text), or null. */
    public static BigDecimal decimal(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        try {
            return new BigDecimal(n.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
