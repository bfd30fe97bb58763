package dev.ponte.model;

import dev.ponte.validation.br.*;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A message to a patient on one channel (reminder, confirmation, billing). */
public record Message(
        String id,
        @NotBlank @References(Patient.class) String patientId,
        @NotNull Channel channel,
        @NotNull ConsentPurpose purpose,
        @Size(max = 100) String template,
        @Size(max = 4096) String body,
        @NotBlank @Size(max = 200) String recipient,
        @NotNull MessageStatus status,
        @References(Appointment.class) String appointmentId,
        OffsetDateTime scheduledFor,
        OffsetDateTime sentAt,
        @NotBlank @Size(max = 200) String businessKey,
        @Size(max = 200) String externalId
) {
}
