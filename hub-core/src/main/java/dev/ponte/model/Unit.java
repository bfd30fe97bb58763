package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A clinic branch (unidade): the issuer of fiscal documents. */
public record Unit(
        String id,
        @NotBlank @Size(max = 200) String name,
        @Cnpj String cnpj,
        @Valid Address address,
        @Size(max = 64) String timeZone
) {
}
