package dev.ponte.spi;

/**
 * The hub's tamper-evident audit log, for what a connector decided on its own (a conflict resolved, a remote change
 * refused). Entries are attributed to the instance. Thread safe; each call is its own transaction.
 *
 * @since 0.2
 */
public interface AuditTrail {

    /**
     * Appends one entry.
     *
     * @param action what happened, dotted, e.g. {@code sync.conflict}
     * @param target what it concerns, e.g. {@code Appointment/<canonical id>}
     * @param detail for an admin; never a secret or personal data
     * @param why    the reason or correlation id, or {@code null}
     */
    void append(String action, String target, String detail, String why);
}
