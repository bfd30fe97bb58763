package dev.ponte.model;

/** Sex as recorded for clinical purposes. */
public enum Sex {
    FEMALE, MALE, INTERSEX, NOT_INFORMED
}
