package dev.ponte.model;

/** Who pays a charge. */
public enum Payer {
    PATIENT, INSURANCE
}
