package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A fiscal document: NFS-e for services, NF-e for products. */
public record Invoice(
        String id,
        @NotNull InvoiceKind kind,
        @References(value = Charge.class, deep = true) String chargeId,
        @References(Unit.class) String unitId,
        @Size(max = 20) String number,
        @Size(max = 5) String series,
        OffsetDateTime issuedAt,
        @NotNull InvoiceStatus status,
        @NotNull @PositiveOrZero BigDecimal amount,
        @Cnpj String issuerCnpj,
        @Cpf String recipientCpf,
        @Cnpj String recipientCnpj,
        @Pattern(regexp = "\\d{44}|\\d{50}") String accessKey,
        @Size(max = 50) String verificationCode,
        @Pattern(regexp = "\\d{15}") String protocol,
        @Size(max = 500) String rejectionReason,
        CancellationCode cancellationCode,
        @Size(min = 15, max = 255) String cancellationReason
) {
}
