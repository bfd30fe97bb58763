package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A booked slot: a patient, a professional, a procedure, a time, a status. */
public record Appointment(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @References(Professional.class) String professionalId,
        @Size(max = 100) String room,
        @NotBlank @References(Procedure.class) String procedureCode,
        @NotNull OffsetDateTime start,
        @NotNull OffsetDateTime end,
        @NotNull AppointmentStatus status,
        @PositiveOrZero BigDecimal price,
        @References(InsurancePlan.class) String insurancePlanId,
        @Size(max = 40) String authorizationCode,
        @References(PackageEnrollment.class) String enrollmentId,
        @References(Unit.class) String unitId,
        @Size(max = 2000) String notes
) {
}
