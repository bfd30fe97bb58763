package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A patient's consent (or refusal) to be contacted on one channel for one purpose (LGPD). Embedded in Patient or standing alone. */
public record Consent(
        String id,
        @References(Patient.class) String patientId,
        @NotNull Channel channel,
        @NotNull ConsentPurpose purpose,
        @NotNull Boolean granted,
        Instant recordedAt,
        @Size(max = 200) String evidence
) {
}
