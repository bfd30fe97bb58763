package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A patient enrolled in a treatment package, with the sessions still to use. */
public record PackageEnrollment(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @References(TreatmentPackage.class) String packageId,
        @Size(max = 200) String packageName,
        @NotBlank @References(Procedure.class) String procedureCode,
        @NotNull @Positive Integer sessionsTotal,
        @PositiveOrZero Integer sessionsUsed,
        @PositiveOrZero Integer sessionsBalance,
        @NotNull LocalDate enrolledOn,
        Boolean autoRenew,
        @NotNull BillingMode billingMode,
        @PositiveOrZero BigDecimal totalPrice,
        @Min(1) @Max(720) Integer reminderLeadHours
) {
}
