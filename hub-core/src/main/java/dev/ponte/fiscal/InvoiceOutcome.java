package dev.ponte.fiscal;

/**
 * What the fiscal trigger did with one charge.
 *
 * @param chargeId  the charge's canonical id
 * @param result    what happened
 * @param invoiceId the Invoice record's id (ISSUED, ALREADY_ISSUED), else null
 * @param number    the document's number in its series (ISSUED, ALREADY_ISSUED), else 0
 * @param reason    why nothing was issued (NOT_DUE, SKIPPED); never personal data
 */
public record InvoiceOutcome(String chargeId, Result result, String invoiceId, long number, String reason) {

    /** What happened to a charge. */
    public enum Result {
        /** An Invoice record was written now, with its number. */
        ISSUED,
        /** The charge already has its document (a redelivered or later event): nothing written. */
        ALREADY_ISSUED,
        /** The trigger does not fire (yet): not paid, not attended, cancelled, invoiced by the source. */
        NOT_DUE,
        /** The trigger fires but the hub cannot make the document; the reason is kept in {@code invoice_skipped}. */
        SKIPPED
    }

    static InvoiceOutcome notDue(String chargeId, String reason) {
        return new InvoiceOutcome(chargeId, Result.NOT_DUE, null, 0, reason);
    }
}
