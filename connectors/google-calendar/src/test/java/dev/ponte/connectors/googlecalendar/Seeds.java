package dev.ponte.connectors.googlecalendar;

import dev.ponte.testkit.KitHub;

import java.time.OffsetDateTime;

/** Records the hub already holds, for tests of changes coming back from Google. */
final class Seeds {

    private Seeds() {
    }

    static void appointment(KitHub hub, String id, String start) {
        String payload = "{\"id\":\"" + id + "\",\"patientId\":\"patient-1\",\"professionalId\":\"professional-1\","
                + "\"procedureCode\":\"P009\",\"start\":\"" + start + "\",\"end\":\""
                + OffsetDateTime.parse(start).plusMinutes(40) + "\",\"status\":\"SCHEDULED\",\"price\":280.00}";
        hub.seedCanonical("Appointment", id, payload);
    }
}
