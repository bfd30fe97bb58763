package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** An allergy of a patient. Health data. */
public record Allergy(
        String id,
        @References(Patient.class) String patientId,
        @NotBlank @Size(max = 200) String substance,
        AllergyType type,
        AllergySeverity severity,
        @Size(max = 500) String symptoms,
        Boolean active,
        @PastOrPresent LocalDate recordedOn
) {
}
