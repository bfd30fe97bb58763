package dev.ponte.outbound;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Hashes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which related records a command carries (one level, and by path behind a deep reference: an Invoice's charge), and
 * that an event superseded by a later change of its record gives no command.
 */
@Tag("store")
class OutboundCommandsTest {

    static final Instant NOW = Instant.parse("2026-12-02T13:00:00Z");

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        put("Patient", "p1", "{\"id\":\"p1\",\"name\":\"Ana\",\"unitId\":\"u1\"}");
        put("Unit", "u1", "{\"id\":\"u1\",\"name\":\"Centro\"}");
        put("Procedure", "LIMP", "{\"code\":\"LIMP\",\"name\":\"Limpeza\",\"kind\":\"SERVICE\"}");
        put("Appointment", "a1", "{\"id\":\"a1\",\"patientId\":\"p1\",\"procedureCode\":\"LIMP\","
                + "\"status\":\"ATTENDED\"}");
        put("Charge", "c1", "{\"id\":\"c1\",\"patientId\":\"p1\",\"appointmentId\":\"a1\",\"amount\":280}");
    }

    @AfterEach
    void close() {
        db.close();
    }

    void put(String entity, String id, String json) {
        db.inTransaction(c -> {
            CanonicalStore.save(c, entity, id, json, Hashes.sha256(json), NOW);
            return null;
        });
    }

    OutboundCommand command(String type, String id, String data) {
        CanonicalEvent e = new CanonicalEvent("e1", "ponte://hub/x", type, id, NOW, "clinic", null, "corr", null,
                data);
        return db.inTransaction(c -> OutboundCommands.forSink(c, e, "sink", Set.of("Invoice", "Appointment"))
                .orElseThrow());
    }

    @Test
    void anInvoiceCarriesItsChargeAndTheChargesRecordsByPathUpToThreeLevels() {
        OutboundCommand cmd = command("invoice.upserted", "i1", "{\"id\":\"i1\",\"kind\":\"NFSE\","
                + "\"chargeId\":\"c1\",\"status\":\"PENDING\",\"amount\":280}");
        assertThat(cmd.related().keySet()).containsExactlyInAnyOrder("chargeId", "chargeId.patientId",
                "chargeId.patientId.unitId", "chargeId.appointmentId", "chargeId.appointmentId.patientId",
                "chargeId.appointmentId.procedureCode");
        assertThat(cmd.related("chargeId.appointmentId.procedureCode", "name")).isEqualTo("Limpeza");
        assertThat(cmd.related("chargeId.patientId", "name")).isEqualTo("Ana");
    }

    @Test
    void anAppointmentCarriesOneLevelOnly() {
        OutboundCommand cmd = command("appointment.upserted", "a1", "{\"id\":\"a1\",\"patientId\":\"p1\","
                + "\"procedureCode\":\"LIMP\",\"status\":\"SCHEDULED\"}");
        assertThat(cmd.related().keySet()).containsExactlyInAnyOrder("patientId", "procedureCode");
    }

    @Test
    void anEventWhoseRecordChangedSinceGivesNoCommandTheLatestDoes() {
        CanonicalEvent booked = stored("e-booked", "appointment.upserted", "a1", "SCHEDULED");
        CanonicalEvent attended = stored("e-attended", "appointment.status-changed", "a1", "ATTENDED");
        // a domain event of another kind on the same subject does not supersede the record's change
        stored("e-other", "package.session-used", "a1", "ATTENDED");
        java.util.Optional<OutboundCommand> old = db.inTransaction(c -> OutboundCommands.forSink(c, booked, "sink",
                Set.of("Appointment")));
        java.util.Optional<OutboundCommand> latest = db.inTransaction(c -> OutboundCommands.forSink(c, attended,
                "sink", Set.of("Appointment")));
        assertThat(old).as("published again after the record changed: it would send what is no longer true").isEmpty();
        assertThat(latest).hasValueSatisfying(cmd -> assertThat(cmd.data().path("status").asText()).isEqualTo("ATTENDED"));
    }

    private CanonicalEvent stored(String id, String type, String subject, String status) {
        CanonicalEvent e = new CanonicalEvent(id, "ponte://hub/x", type, subject, NOW, "clinic", null, "corr", null,
                "{\"id\":\"" + subject + "\",\"patientId\":\"p1\",\"procedureCode\":\"LIMP\",\"status\":\""
                        + status + "\"}");
        db.inTransaction(c -> {
            dev.ponte.store.EventOutbox.append(c, e, id);
            return null;
        });
        return e;
    }
}
