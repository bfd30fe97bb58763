package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** An amount due by a patient or an insurance plan, usually for an appointment. */
public record Charge(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @References(Appointment.class) String appointmentId,
        @NotNull LocalDate dueDate,
        @NotNull @PositiveOrZero BigDecimal amount,
        @NotNull ChargeStatus status,
        Payer payer,
        @References(InsurancePlan.class) String insurancePlanId,
        @Size(max = 200) String description,
        @Size(max = 20) String invoiceNumber,
        List<@Valid Payment> payments
) {
}
