package dev.ponte.model;

/** Severity of an allergic reaction. */
public enum AllergySeverity {
    MILD, MODERATE, SEVERE, UNKNOWN
}
