package dev.ponte.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.SensitiveData;
import dev.ponte.json.Json;
import dev.ponte.model.CanonicalModel;
import dev.ponte.model.References;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Messages;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Patient 360°: everything the hub holds for one patient across all systems, in one answer: the patient record with
 * its id in each source system; every record that refers to the patient (appointments, packages with their balance,
 * charges, consents, allergies, skin tests, alerts, clinical notes...) and those that refer to these (payments and
 * invoices of the charges), each with its source ids; appointments split into past and future; the messages sent or
 * to send. Found through the model's {@link References} fields, so a new entity that refers to a patient shows here
 * without a change. Sensitive values masked unless the caller may and does ask otherwise.
 */
final class PatientView {

    /** How many hops from the patient: records referring to it, and records referring to those. */
    private static final int DEPTH = 2;

    private final SensitiveData masking;

    PatientView(Glossary glossary) {
        this.masking = new SensitiveData(glossary);
    }

    /** The view, or empty when the hub holds no patient with this id. */
    Optional<ObjectNode> of(Connection c, String patientId, boolean unmasked, Instant now) throws SQLException,
            IOException {
        Optional<String> payload = CanonicalStore.payload(c, "Patient", patientId);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode o = Json.MAPPER.createObjectNode().put("id", patientId).put("masked", !unmasked);
        o.set("patient", show("Patient", payload.get(), unmasked));
        o.set("sourceIds", Json.MAPPER.valueToTree(CanonicalStore.sourceIds(c, "Patient", patientId)));
        ObjectNode records = o.putObject("records");
        Map<String, List<String>> frontier = Map.of("Patient", List.of(patientId));
        for (int depth = 0; depth < DEPTH && !frontier.isEmpty(); depth++) {
            Map<String, List<String>> next = new LinkedHashMap<>();
            for (Class<? extends Record> type : CanonicalModel.ENTITIES) {
                for (RecordComponent field : type.getRecordComponents()) {
                    References ref = field.getAnnotation(References.class);
                    if (ref == null || !frontier.containsKey(ref.value().getSimpleName())) {
                        continue;
                    }
                    for (String target : frontier.get(ref.value().getSimpleName())) {
                        for (Map.Entry<String, String> r : CanonicalStore.referencing(c, type.getSimpleName(),
                                field.getName(), target).entrySet()) {
                            ArrayNode list = records.has(type.getSimpleName())
                                    ? (ArrayNode) records.get(type.getSimpleName())
                                    : records.putArray(type.getSimpleName());
                            if (contains(list, r.getKey())) {
                                continue;
                            }
                            ObjectNode shown = Json.MAPPER.createObjectNode().put("id", r.getKey());
                            shown.setAll((ObjectNode) show(type.getSimpleName(), r.getValue(), unmasked));
                            shown.set("sourceIds", Json.MAPPER.valueToTree(CanonicalStore.sourceIds(c,
                                    type.getSimpleName(), r.getKey())));
                            list.add(shown);
                            next.computeIfAbsent(type.getSimpleName(), k -> new ArrayList<>()).add(r.getKey());
                        }
                    }
                }
            }
            frontier = next;
        }
        ObjectNode appointments = o.putObject("appointments");
        int past = 0;
        int future = 0;
        for (JsonNode a : records.path("Appointment")) {
            try {
                if (java.time.OffsetDateTime.parse(a.path("start").asText()).toInstant().isAfter(now)) {
                    future++;
                } else {
                    past++;
                }
            } catch (java.time.format.DateTimeParseException masked) {
                // a start the masking hid: counted in neither
            }
        }
        appointments.put("past", past).put("future", future);
        ArrayNode messages = o.putArray("messages");
        for (Messages.StoredMessage m : Messages.ofPatient(c, patientId)) {
            // what was sent, when and how: never the text or the recipient (personal data)
            messages.addObject().put("id", m.id()).put("purpose", m.purpose()).put("template", m.template())
                    .put("status", m.status().name()).put("channel", m.channel())
                    .put("appointmentId", m.appointmentId())
                    .put("dueAt", m.dueAt() == null ? null : m.dueAt().toString())
                    .put("sentAt", m.sentAt() == null ? null : m.sentAt().toString()).put("reason", m.reason());
        }
        return Optional.of(o);
    }

    /** A record of a type with the glossary's sensitive values masked. */
    JsonNode masked(String type, JsonNode record) {
        return masking.mask(type, record);
    }

    private JsonNode show(String type, String payload, boolean unmasked) throws IOException {
        JsonNode record = Json.MAPPER.readTree(payload);
        return unmasked ? record : masking.mask(type, record);
    }

    private static boolean contains(ArrayNode list, String id) {
        for (JsonNode n : list) {
            if (id.equals(n.path("id").asText())) {
                return true;
            }
        }
        return false;
    }
}
