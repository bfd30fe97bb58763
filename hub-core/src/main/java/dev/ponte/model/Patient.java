package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A person treated by the clinic. Identified across systems by CPF; see DESIGN.md, patient matching. */
public record Patient(
        String id,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 200) String socialName,
        @Cpf String cpf,
        @Past LocalDate birthDate,
        Sex sex,
        @Phone String mobilePhone,
        @Phone String homePhone,
        @Email(regexp = Patterns.EMAIL_WITH_DOMAIN) @Size(max = 200) String email,
        @Valid Address address,
        @Size(max = 100) String origin,
        @Size(max = 100) String group,
        @References(Unit.class) String unitId,
        @References(InsurancePlan.class) String insurancePlanId,
        @Size(max = 40) String insuranceCardNumber,
        @PastOrPresent LocalDate registeredOn,
        @Size(max = 2000) String notes,
        List<@Valid Allergy> allergies,
        List<@Valid Consent> consents
) {
}
