package dev.ponte.model;

/** State of a skin (patch) test required before some procedures. */
public enum SkinTestStatus {
    PENDING, IN_PROGRESS, SATISFACTORY, UNSATISFACTORY
}
