package dev.ponte.reconcile;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciliation over a small clinic where every rule has one planted mismatch and one record that agrees: each
 * mismatch is found, under its rule, and nothing else.
 */
@Tag("store")
class ReconciliationTest {

    static final LocalDate DAY = LocalDate.parse("2026-12-01");
    static final Instant NOW = Instant.parse("2026-12-02T09:00:00Z");

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
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

    static String appointment(String id, String day, String status, String enrollment) {
        return "{\"id\":\"" + id + "\",\"patientId\":\"p1\",\"procedureCode\":\"P1\",\"start\":\"" + day
                + "T10:00:00-03:00\",\"end\":\"" + day + "T11:00:00-03:00\",\"status\":\"" + status + "\""
                + (enrollment == null ? "" : ",\"enrollmentId\":\"" + enrollment + "\"") + "}";
    }

    static String charge(String id, String appointment, String due, String amount, String status, String payment) {
        return "{\"id\":\"" + id + "\",\"patientId\":\"p1\"" + (appointment == null ? "" : ",\"appointmentId\":\""
                + appointment + "\"") + ",\"dueDate\":\"" + due + "\",\"amount\":" + amount + ",\"status\":\""
                + status + "\"" + (payment == null ? "" : ",\"payments\":[{\"paidOn\":\"" + due + "\",\"amount\":"
                + payment + ",\"method\":\"PIX\"}]") + "}";
    }

    static String invoice(String id, String charge, String amount, String status) {
        return "{\"id\":\"" + id + "\",\"kind\":\"NFSE\",\"chargeId\":\"" + charge + "\",\"status\":\"" + status
                + "\",\"amount\":" + amount + "}";
    }

    void plant() {
        // agrees: attended, charged, paid, invoiced with the same amount
        put("Appointment", "a-ok", appointment("a-ok", "2026-11-30", "ATTENDED", null));
        put("Charge", "c-ok", charge("c-ok", "a-ok", "2026-11-30", "180.00", "PAID", "180.00"));
        put("Invoice", "i-ok", invoice("i-ok", "c-ok", "180.00", "AUTHORIZED"));
        // attended, no charge
        put("Appointment", "a-nocharge", appointment("a-nocharge", "2026-11-30", "ATTENDED", null));
        // attended in an UPFRONT package: no charge expected; and after the day: not yet
        put("PackageEnrollment", "e-up", "{\"id\":\"e-up\",\"patientId\":\"p1\",\"procedureCode\":\"P1\","
                + "\"sessionsTotal\":10,\"sessionsUsed\":1,\"enrolledOn\":\"2026-11-01\",\"billingMode\":\"UPFRONT\"}");
        put("Appointment", "a-pkg", appointment("a-pkg", "2026-11-29", "ATTENDED", "e-up"));
        put("Appointment", "a-later", appointment("a-later", "2026-12-03", "ATTENDED", null));
        // a package whose sessions used disagree with its attended appointments
        put("PackageEnrollment", "e-off", "{\"id\":\"e-off\",\"patientId\":\"p1\",\"procedureCode\":\"P1\","
                + "\"sessionsTotal\":5,\"sessionsUsed\":3,\"enrolledOn\":\"2026-11-01\",\"billingMode\":\"PER_SESSION\"}");
        put("Appointment", "a-off", appointment("a-off", "2026-11-28", "ATTENDED", "e-off"));
        put("Charge", "c-off", charge("c-off", "a-off", "2026-11-28", "90.00", "PAID", "90.00"));
        put("Invoice", "i-off", invoice("i-off", "c-off", "90.00", "AUTHORIZED"));
        // charged, not paid past due; one not due yet
        put("Charge", "c-open", charge("c-open", null, "2026-11-20", "200.00", "OPEN", null));
        put("Charge", "c-future", charge("c-future", null, "2026-12-10", "200.00", "OPEN", null));
        // paid, not invoiced; one whose invoice was rejected; one before the fiscal cut-off; one the source invoiced
        put("Charge", "c-noinv", charge("c-noinv", null, "2026-11-25", "150.00", "PAID", "150.00"));
        put("Charge", "c-rej", charge("c-rej", null, "2026-11-25", "150.00", "PAID", "150.00"));
        put("Invoice", "i-rej", invoice("i-rej", "c-rej", "150.00", "REJECTED"));
        put("Charge", "c-old", charge("c-old", null, "2025-01-10", "150.00", "PAID", "150.00"));
        put("Charge", "c-src", charge("c-src", null, "2026-11-25", "150.00", "PAID", "150.00")
                .replace("}", ",\"invoiceNumber\":\"3000\"}"));
        // invoiced, not paid
        put("Charge", "c-unpaid", charge("c-unpaid", null, "2026-12-05", "120.00", "OPEN", null));
        put("Invoice", "i-unpaid", invoice("i-unpaid", "c-unpaid", "120.00", "AUTHORIZED"));
        // amount differs
        put("Charge", "c-diff", charge("c-diff", null, "2026-11-26", "300.00", "PAID", "300.00"));
        put("Invoice", "i-diff", invoice("i-diff", "c-diff", "280.00", "AUTHORIZED"));
    }

    @Test
    void everyPlantedMismatchIsFoundUnderItsRuleAndNothingElse() throws Exception {
        plant();
        Reconciliation r = new Reconciliation(ZoneId.of("America/Sao_Paulo"), LocalDate.parse("2026-01-01"));
        List<Reconciliation.Finding> found = db.inTransaction(c -> r.run(c, DAY));
        assertThat(found).extracting(f -> f.rule() + " " + f.entity() + "/" + f.id()).containsExactly(
                "attended-not-charged Appointment/a-nocharge",
                "charged-not-paid Charge/c-open",
                "paid-not-invoiced Charge/c-noinv",
                "paid-not-invoiced Charge/c-rej",
                "invoiced-not-paid Invoice/i-unpaid",
                "invoice-amount-mismatch Invoice/i-diff",
                "package-sessions-mismatch PackageEnrollment/e-off");
        assertThat(found.get(6).detail()).isEqualTo("3 session(s) used, 1 attended appointment(s)");
        assertThat(found.get(5).detail()).isEqualTo("R$ 280.00 for Charge c-diff of R$ 300.00");
        assertThat(Reconciliation.counts(found)).containsEntry("paid-not-invoiced", 2)
                .containsEntry("attended-not-charged", 1).hasSize(6);
    }

    @Test
    void aRunWritesTheReportsAndPublishesEachFindingOncePerDay() throws Exception {
        plant();
        Reconciliation r = new Reconciliation(ZoneId.of("America/Sao_Paulo"), null);
        ReconciliationRun.Result first = ReconciliationRun.run(db, r, DAY, dir.resolve("reports"), "admin", "clinic",
                NOW);
        assertThat(first.findings()).hasSize(8).as("without the cut-off the old paid charge counts too")
                .anyMatch(f -> f.id().equals("c-old"));
        assertThat(first.csv()).content().startsWith("rule;entity;id;detail\n")
                .contains("attended-not-charged;Appointment;a-nocharge;attended on 2026-11-30");
        assertThat(Files.readString(first.json())).contains("\"day\" : \"2026-12-01\"")
                .contains("\"paid-not-invoiced\" : 3");
        List<CanonicalEvent> events = db.inTransaction(c -> EventOutbox.unpublished(c, 100));
        assertThat(events).hasSize(8).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(ReconciliationRun.EVENT_TYPE);
            assertThat(e.correlationId()).isEqualTo("reconcile:2026-12-01");
        });
        ReconciliationRun.run(db, r, DAY, dir.resolve("reports"), "admin", "clinic", NOW.plusSeconds(60));
        List<CanonicalEvent> again = db.inTransaction(c -> EventOutbox.unpublished(c, 100));
        assertThat(again).as("the same day again publishes nothing new").hasSize(8);
    }
}
