package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What an insurance plan covers for one procedure: a row of the plan's coverage table, imported by a mapping like any
 * other data. The patient's part of an allowed amount is {@code copay} plus {@code copayPercent} of it (at most the
 * allowed amount); the plan pays the rest.
 */
public record Coverage(
        String id,
        @NotBlank @References(InsurancePlan.class) String insurancePlanId,
        @NotBlank @References(Procedure.class) String procedureCode,
        @NotNull Boolean covered,
        @PositiveOrZero BigDecimal allowedAmount,
        @PositiveOrZero BigDecimal copay,
        @DecimalMin("0") @DecimalMax("100") BigDecimal copayPercent,
        Boolean authorizationRequired
) {
}
