package dev.ponte.model;

/** State of an amount due. */
public enum ChargeStatus {
    OPEN, PAID, PARTIALLY_PAID, CANCELLED
}
