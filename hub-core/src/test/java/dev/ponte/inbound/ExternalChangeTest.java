package dev.ponte.inbound;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.TestGlossary;
import dev.ponte.json.Json;
import dev.ponte.outbound.OutboundCommands;
import dev.ponte.spi.ExternalChange;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Hashes;
import dev.ponte.store.OutboundEffects;
import dev.ponte.validation.RecordValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes made in a remote system to records the hub holds: applied once, validated, and the hub wins conflicts. */
@Tag("store")
class ExternalChangeTest {

    private static final String PAYLOAD = "{\"id\":\"a1\",\"patientId\":\"p1\",\"procedureCode\":\"P009\","
            + "\"start\":\"2026-12-01T10:00:00-03:00\",\"end\":\"2026-12-01T10:40:00-03:00\",\"status\":\"SCHEDULED\"}";

    @TempDir
    Path dir;
    private Database db;
    private RecordValidator validator;
    private InboundProcessor processor;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        validator = new RecordValidator(TestGlossary.get(), Clock.systemUTC());
        processor = new InboundProcessor(db, name -> Optional.empty(), validator, Clock.systemUTC(), "test");
        db.inTransaction(c -> {
            CanonicalStore.save(c, "Appointment", "a1", PAYLOAD, Hashes.sha256(PAYLOAD), Instant.now());
            return null;
        });
    }

    @AfterEach
    void close() {
        validator.close();
        db.close();
    }

    private static ExternalChange moved(String start, String end) {
        ObjectNode fields = Json.MAPPER.createObjectNode().put("start", start).put("end", end);
        return new ExternalChange("cal", "google-calendar", "Appointment", "evt1", "a1", fields, Instant.now(), "c1");
    }

    private void delivered(Instant at) {
        db.inTransaction(c -> {
            OutboundEffects.record(c, new OutboundEffects.Effect(OutboundCommands.businessKey("cal", "Appointment",
                    "a1"), "cal", "h", "evt1", "event inserted", "cmd1", at));
            return null;
        });
    }

    @Test
    void aMoveIsAppliedOnceAndAnEchoChangesNothing() {
        delivered(Instant.now().plusSeconds(1));
        ExternalChange change = moved("2026-12-01T11:00:00-03:00", "2026-12-01T11:40:00-03:00");
        assertThat(processor.applyChange(change).outcome()).isEqualTo(RowOutcome.UPDATED);
        assertThat(processor.applyChange(change).outcome()).isEqualTo(RowOutcome.UNCHANGED);
        assertThat(count("select count(*) from event where type = 'appointment.rescheduled'")).isEqualTo(1);
    }

    @Test
    void aRemoteChangeWhileAHubChangeIsOnItsWayOutIsNotAppliedAndIsAudited() {
        delivered(Instant.now().minusSeconds(60)); // the hub changed the record after its last delivery
        ExternalChange change = moved("2026-12-01T11:00:00-03:00", "2026-12-01T11:40:00-03:00");
        assertThat(processor.applyChange(change).outcome()).isEqualTo(RowOutcome.UNCHANGED);
        assertThat(db.inTransaction(c -> CanonicalStore.payload(c, "Appointment", "a1")).orElseThrow())
                .contains("10:00:00-03:00");
        assertThat(count("select count(*) from audit_log where action = 'sync.conflict'")).isEqualTo(1);
        assertThat(count("select count(*) from event")).isZero();
    }

    @Test
    void aChangeThatBreaksValidationBecomesADeadLetter() {
        RowResult r = processor.applyChange(moved("2026-12-01T11:00:00-03:00", "2026-12-01T09:00:00-03:00"));
        assertThat(r.outcome()).isEqualTo(RowOutcome.REJECTED);
        assertThat(r.violations()).extracting(v -> v.rule()).contains("end-before-start");
        assertThat(count("select count(*) from dead_letter")).isEqualTo(1);
    }

    private long count(String sql) {
        return db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
