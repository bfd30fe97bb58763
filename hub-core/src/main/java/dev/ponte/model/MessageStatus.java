package dev.ponte.model;

/**
 * Delivery state of a message to a patient. SENT, DELIVERED and READ only move forward; FAILED means every consented
 * channel failed; BLOCKED means a policy check refused it (the reason is on the message); CANCELLED means its
 * appointment was cancelled or the consent revoked before it went out.
 */
public enum MessageStatus {
    SCHEDULED, QUEUED, SENT, DELIVERED, READ, FAILED, BLOCKED, CANCELLED
}
