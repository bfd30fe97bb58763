package dev.ponte.model;

/** How prominently an alert is shown to the clinic staff. */
public enum AlertSeverity {
    INFO, WARNING, CRITICAL
}
