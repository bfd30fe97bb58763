package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** What an insurance plan covers for one procedure. */
public record Coverage(
        @NotBlank @References(Procedure.class) String procedureCode,
        @NotNull Boolean covered,
        @PositiveOrZero BigDecimal allowedAmount,
        @PositiveOrZero BigDecimal copay,
        Boolean authorizationRequired
) {
}
