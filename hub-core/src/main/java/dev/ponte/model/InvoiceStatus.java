package dev.ponte.model;

/** State of a fiscal document with the tax authority. */
public enum InvoiceStatus {
    DRAFT, PENDING, AUTHORIZED, REJECTED, CANCELLED
}
