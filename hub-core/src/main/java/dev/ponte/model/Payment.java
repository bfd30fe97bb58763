package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Money received against a charge. */
public record Payment(
        String id,
        @References(Charge.class) String chargeId,
        @NotNull @PastOrPresent LocalDate paidOn,
        @NotNull @PositiveOrZero BigDecimal amount,
        PaymentMethod method
) {
}
