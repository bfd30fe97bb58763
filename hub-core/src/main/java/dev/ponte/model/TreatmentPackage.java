package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A package offered by the clinic: a number of sessions of one procedure for a price. */
public record TreatmentPackage(
        String id,
        @NotBlank @Size(max = 200) String name,
        @NotBlank @References(Procedure.class) String procedureCode,
        @NotNull @Positive Integer sessions,
        @PositiveOrZero BigDecimal price,
        @Positive Integer validityDays
) {
}
