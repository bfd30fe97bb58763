package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A health insurance plan (convênio). What it covers, per procedure, is its {@link Coverage} records. */
public record InsurancePlan(
        String id,
        @NotBlank @Size(max = 200) String name,
        @Pattern(regexp = "\\d{6}") String ansCode
) {
}
