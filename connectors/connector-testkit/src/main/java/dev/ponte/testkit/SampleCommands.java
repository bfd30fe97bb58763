package dev.ponte.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.spi.OutboundCommand;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Realistic outbound commands for sink tests, built as the hub builds them: an appointment with its patient,
 * professional and procedure. The patient's CPF and phone are {@link #PATIENT_CPF} and {@link #PATIENT_PHONE}; the
 * kit checks they never appear in logs.
 */
public final class SampleCommands {

    public static final String PATIENT_CPF = "52998224725";
    public static final String PATIENT_PHONE = "+5511991214283";
    public static final String PROFESSIONAL_CALENDAR = "dra.camila@clinica.example";

    private SampleCommands() {
    }

    /**
     * An appointment command for the kit instance.
     *
     * @param canonicalId the appointment's canonical id
     * @param start       its start; it lasts 40 minutes
     * @param action      UPSERT or DELETE
     */
    public static OutboundCommand appointment(String canonicalId, OffsetDateTime start, OutboundCommand.Action action) {
        ObjectNode data = Json.MAPPER.createObjectNode()
                .put("id", canonicalId)
                .put("patientId", "patient-1")
                .put("professionalId", "professional-1")
                .put("room", "Sala Laser")
                .put("procedureCode", "P009")
                .put("start", start.toString())
                .put("end", start.plusMinutes(40).toString())
                .put("status", action == OutboundCommand.Action.DELETE ? "CANCELLED" : "SCHEDULED")
                .put("price", new java.math.BigDecimal("280.00"));
        JsonNode patient = Json.MAPPER.createObjectNode().put("id", "patient-1").put("name", "Ana Lima Souza")
                .put("cpf", PATIENT_CPF).put("mobilePhone", PATIENT_PHONE);
        JsonNode professional = Json.MAPPER.createObjectNode().put("id", "professional-1")
                .put("name", "Dra. Camila Rocha").put("calendarId", PROFESSIONAL_CALENDAR);
        JsonNode procedure = Json.MAPPER.createObjectNode().put("code", "P009").put("name", "Laser facial")
                .put("kind", "SERVICE").put("durationMinutes", 40);
        String eventId = UUID.randomUUID().toString();
        return new OutboundCommand(UUID.randomUUID().toString(),
                OutboundCommands.businessKey(KitHub.INSTANCE, "Appointment", canonicalId), "Appointment", action,
                canonicalId, data, Map.of("patientId", patient, "professionalId", professional,
                "procedureCode", procedure), action == OutboundCommand.Action.DELETE ? "appointment.status-changed"
                : "appointment.upserted", "kit-correlation", eventId, Instant.now());
    }

    /** The same command again, as a redelivery or a republished event would carry it: new id, same content. */
    public static OutboundCommand again(OutboundCommand c) {
        return new OutboundCommand(UUID.randomUUID().toString(), c.businessKey(), c.entity(), c.action(),
                c.canonicalId(), c.data(), c.related(), c.eventType(), c.correlationId(), c.causationId(), c.time(),
                c.sourceIds());
    }
}
