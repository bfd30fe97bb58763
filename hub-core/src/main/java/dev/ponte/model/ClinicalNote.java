package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A note in the patient chart. Health data. */
public record ClinicalNote(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @References(Professional.class) String professionalId,
        @References(Appointment.class) String appointmentId,
        @NotNull OffsetDateTime writtenAt,
        @NotBlank @Size(max = 20000) String text
) {
}
