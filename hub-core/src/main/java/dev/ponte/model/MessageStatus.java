package dev.ponte.model;

/** Delivery state of a message to a patient. */
public enum MessageStatus {
    QUEUED, SENT, DELIVERED, READ, FAILED
}
