package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A room where procedures happen. */
public record Room(
        String id,
        @NotBlank @Size(max = 100) String name,
        @References(Unit.class) String unitId
) {
}
