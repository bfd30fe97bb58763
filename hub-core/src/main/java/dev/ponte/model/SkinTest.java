package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A skin (patch) test that must be satisfactory and current before some procedures. */
public record SkinTest(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @References(Procedure.class) String procedureCode,
        @Size(max = 200) String product,
        @NotNull SkinTestStatus status,
        @PastOrPresent OffsetDateTime performedAt,
        LocalDate expiresOn,
        @References(Professional.class) String professionalId,
        @Size(max = 2000) String result
) {
}
