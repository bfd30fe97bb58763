package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Someone who performs procedures: physician, biomedical scientist, nurse, pharmacist, aesthetician. */
public record Professional(
        String id,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 10) String council,
        @Size(max = 20) String councilNumber,
        @Uf String councilState,
        @Email(regexp = Patterns.EMAIL_WITH_DOMAIN) String email,
        @Size(max = 200) String calendarId,
        Boolean active
) {
}
