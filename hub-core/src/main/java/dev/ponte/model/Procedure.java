package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** An item of the clinic catalog, identified by one canonical code: a service (NFS-e) or a product (NF-e). */
public record Procedure(
        @NotBlank @Size(max = 20) String code,
        @NotBlank @Size(max = 200) String name,
        @NotNull ProcedureKind kind,
        @PositiveOrZero BigDecimal price,
        @PositiveOrZero Integer durationMinutes,
        @Pattern(regexp = Patterns.LC116_ITEM) String serviceItem,
        @Pattern(regexp = Patterns.NCM) String ncm,
        Boolean active
) {
}
