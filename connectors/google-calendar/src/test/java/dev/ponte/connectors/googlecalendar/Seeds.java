package dev.ponte.connectors.googlecalendar;

import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Hashes;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Records the hub already holds, for tests of changes coming back from Google. */
final class Seeds {

    private Seeds() {
    }

    static void appointment(Database db, String id, String start) {
        String payload = "{\"id\":\"" + id + "\",\"patientId\":\"patient-1\",\"professionalId\":\"professional-1\","
                + "\"procedureCode\":\"P009\",\"start\":\"" + start + "\",\"end\":\""
                + OffsetDateTime.parse(start).plusMinutes(40) + "\",\"status\":\"SCHEDULED\",\"price\":280.00}";
        db.inTransaction(c -> {
            CanonicalStore.save(c, "Appointment", id, payload, Hashes.sha256(payload), Instant.now());
            return null;
        });
    }
}
