package dev.ponte.model;

/** Life cycle of an appointment. RESCHEDULED means this slot was replaced by another one. */
public enum AppointmentStatus {
    SCHEDULED, CONFIRMED, ATTENDED, NO_SHOW, CANCELLED, RESCHEDULED
}
