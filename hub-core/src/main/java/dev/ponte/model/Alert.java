package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Something the staff must see before treating a patient (pregnancy, contraindication, unpaid balance). */
public record Alert(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @NotNull AlertSeverity severity,
        @NotBlank @Size(max = 500) String text,
        Boolean active,
        OffsetDateTime createdAt
) {
}
