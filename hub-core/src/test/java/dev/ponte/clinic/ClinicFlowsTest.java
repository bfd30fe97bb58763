package dev.ponte.clinic;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.ReviewList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clinic flows over a real H2 store: booking checks, package sessions and billing for one change at a time, each
 * change applied twice (a redelivered event) to show that the second changes nothing.
 */
@Tag("store")
class ClinicFlowsTest {

    static final Instant NOW = Instant.parse("2026-12-02T15:00:00Z");
    static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    @TempDir
    Path dir;
    Database db;
    ClinicFlows flows;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        flows = flows(Map.of());
        put("Patient", "p1", "{\"id\":\"p1\",\"name\":\"Paciente Um\",\"birthDate\":\"1990-05-01\"}");
        put("Procedure", "P1", "{\"code\":\"P1\",\"name\":\"Limpeza\",\"kind\":\"SERVICE\",\"price\":180.00,"
                + "\"serviceItem\":\"06.02\"}");
    }

    @AfterEach
    void close() {
        db.close();
    }

    ClinicFlows flows(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(ClinicSettings.ZONE, ZONE.getId(),
                ClinicSettings.BILLING_FROM, "2026-12-01"));
        all.putAll(extra);
        ClinicSettings s = ClinicSettings.from(all);
        assertThat(s.problems()).isEmpty();
        return new ClinicFlows(s, Clock.fixed(NOW, ZONE), "clinic");
    }

    void put(String entity, String id, String json) {
        db.inTransaction(c -> {
            CanonicalStore.save(c, entity, id, json, Hashes.sha256(json), NOW);
            return null;
        });
    }

    /** Applies the record's change twice, as a redelivered event would, and returns the first result. */
    ClinicFlows.Result change(String entity, String id) {
        ClinicFlows.Result first = db.inTransaction(c -> flows.changed(c, entity, id, record(entity, id),
                new ClinicFlows.Cause("ev-" + id, "corr")));
        db.inTransaction(c -> flows.changed(c, entity, id, record(entity, id), new ClinicFlows.Cause("ev-" + id,
                "corr")));
        return first;
    }

    JsonNode record(String entity, String id) {
        return parse(db.inTransaction(c -> CanonicalStore.payload(c, entity, id).orElseThrow()));
    }

    List<JsonNode> charges() {
        List<JsonNode> out = new ArrayList<>();
        for (String p : db.inTransaction(c -> CanonicalStore.payloads(c, "Charge")).values()) {
            out.add(parse(p));
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String appointment(String id, String day, String status, String extra) {
        return "{\"id\":\"" + id + "\",\"patientId\":\"p1\",\"procedureCode\":\"P1\",\"start\":\"" + day
                + "T10:00:00-03:00\",\"end\":\"" + day + "T11:00:00-03:00\",\"status\":\"" + status + "\"" + extra
                + "}";
    }

    @Test
    void anAttendedPrivateAppointmentIsChargedOnceAtItsPrice() {
        put("Appointment", "a1", appointment("a1", "2026-12-02", "ATTENDED", ",\"price\":250.00"));
        ClinicFlows.Result r = change("Appointment", "a1");
        assertThat(r.billing()).isEqualTo("CHARGED");
        assertThat(charges()).singleElement().satisfies(ch -> {
            assertThat(ch.get("amount").decimalValue()).isEqualByComparingTo("250.00");
            assertThat(ch.get("payer").asText()).isEqualTo("PATIENT");
            assertThat(ch.get("appointmentId").asText()).isEqualTo("a1");
            assertThat(ch.get("status").asText()).isEqualTo("OPEN");
            assertThat(ch.get("dueDate").asText()).isEqualTo("2026-12-02");
        });
        long events = db.inTransaction(c -> EventOutbox.unpublished(c, 100).stream()
                .filter(e -> e.type().equals("charge.upserted")).count());
        assertThat(events).isEqualTo(1);
    }

    @Test
    void historyAndAppointmentsTheSourceBillsAreNotCharged() {
        put("Appointment", "old", appointment("old", "2026-11-30", "ATTENDED", ",\"price\":250.00"));
        assertThat(change("Appointment", "old").billing()).isEqualTo("NONE");
        put("Appointment", "a2", appointment("a2", "2026-12-02", "ATTENDED", ",\"price\":250.00"));
        put("Charge", "700001", "{\"id\":\"700001\",\"patientId\":\"p1\",\"appointmentId\":\"a2\",\"dueDate\":"
                + "\"2026-12-02\",\"amount\":250.00,\"status\":\"OPEN\"}");
        assertThat(change("Appointment", "a2").billing()).isEqualTo("BY_SOURCE");
        assertThat(charges()).hasSize(1);
    }

    @Test
    void aFlaggedAppointmentIsNeverBilledUntilTheFlagIsCleared() {
        put("Appointment", "a3", appointment("a3", "2026-12-02", "ATTENDED", ""));
        ClinicFlows.Result r = change("Appointment", "a3");
        assertThat(r.review()).containsExactly("price-undefined");
        assertThat(r.billing()).isEqualTo("REVIEW");
        assertThat(charges()).isEmpty();
        Map<String, Long> open = db.inTransaction(ReviewList::openByRule);
        assertThat(open).containsEntry("price-undefined", 1L);
        // the source sets the price: the next change bills it and resolves the item
        put("Appointment", "a3", appointment("a3", "2026-12-02", "ATTENDED", ",\"price\":99.90"));
        assertThat(change("Appointment", "a3").billing()).isEqualTo("CHARGED");
        assertThat(charges()).singleElement().satisfies(ch -> assertThat(ch.get("amount").decimalValue())
                .isEqualByComparingTo("99.90"));
        Map<String, Long> after = db.inTransaction(ReviewList::openByRule);
        assertThat(after).isEmpty();
    }

    @Test
    void aChartWithoutARequiredFieldIsFlagged() {
        flows = flows(Map.of(ClinicSettings.REQUIRED_FIELDS, "name,cpf"));
        put("Appointment", "a4", appointment("a4", "2026-12-03", "SCHEDULED", ",\"price\":10"));
        assertThat(change("Appointment", "a4").review()).containsExactly("chart-field-missing");
        List<ReviewList.Item> open = db.inTransaction(c -> ReviewList.open(c, "Appointment", "a4"));
        assertThat(open).singleElement().satisfies(i -> {
            assertThat(i.field()).isEqualTo("Patient.cpf");
            assertThat(i.detail()).contains("p1").contains("cpf").doesNotContain("Paciente");
        });
    }

    @Test
    void insuranceSplitsTheAllowedAmountIntoCopayAndPlanAndUncoveredNeverReachesBilling() {
        put("Coverage", "cov1", "{\"id\":\"cov1\",\"insurancePlanId\":\"unimed\",\"procedureCode\":\"P1\","
                + "\"covered\":true,\"allowedAmount\":800.00,\"copay\":50.00,\"copayPercent\":10,"
                + "\"authorizationRequired\":true}");
        put("Appointment", "i1", appointment("i1", "2026-12-02", "ATTENDED", ",\"insurancePlanId\":\"unimed\","
                + "\"authorizationCode\":\"SENHA1\""));
        assertThat(change("Appointment", "i1").billing()).isEqualTo("CHARGED");
        assertThat(charges()).extracting(ch -> ch.get("payer").asText() + " " + ch.get("amount").decimalValue()
                        .toPlainString() + " " + ch.path("insurancePlanId").asText())
                .containsExactlyInAnyOrder("PATIENT 130.00 unimed", "INSURANCE 670.00 unimed");
        // no authorization code: flagged, not billed
        put("Appointment", "i2", appointment("i2", "2026-12-02", "ATTENDED", ",\"insurancePlanId\":\"unimed\""));
        assertThat(change("Appointment", "i2").review()).containsExactly("insurance-needs-authorization");
        // a procedure outside the plan's table: flagged, not billed
        put("Procedure", "P2", "{\"code\":\"P2\",\"name\":\"Laser\",\"kind\":\"SERVICE\",\"price\":300,"
                + "\"serviceItem\":\"06.02\"}");
        put("Appointment", "i3", "{\"id\":\"i3\",\"patientId\":\"p1\",\"procedureCode\":\"P2\",\"start\":"
                + "\"2026-12-02T10:00:00-03:00\",\"end\":\"2026-12-02T11:00:00-03:00\",\"status\":\"ATTENDED\","
                + "\"insurancePlanId\":\"unimed\",\"price\":300}");
        assertThat(change("Appointment", "i3").review()).containsExactly("insurance-coverage-unknown");
        assertThat(charges()).hasSize(2);
    }

    @Test
    void aPackageNeverGoesBelowZeroAndARenewalDeductsTheRefusedSession() {
        put("PackageEnrollment", "e1", "{\"id\":\"e1\",\"patientId\":\"p1\",\"procedureCode\":\"P1\","
                + "\"sessionsTotal\":2,\"enrolledOn\":\"2026-11-01\",\"billingMode\":\"PER_SESSION\"}");
        for (String id : List.of("s1", "s2", "s3")) {
            put("Appointment", id, appointment(id, "2026-12-02", "ATTENDED", ",\"enrollmentId\":\"e1\""));
        }
        assertThat(change("Appointment", "s1").session()).isEqualTo("USED");
        assertThat(change("Appointment", "s2").session()).isEqualTo("USED");
        assertThat(change("Appointment", "s3").session()).isEqualTo("REFUSED");
        JsonNode e = record("PackageEnrollment", "e1");
        assertThat(e.get("sessionsUsed").asInt()).isEqualTo(2);
        assertThat(e.get("sessionsBalance").asInt()).isZero();
        List<DeadLetter> dls = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        assertThat(dls).singleElement().satisfies(d -> assertThat(d.rules()).containsExactly("package-exhausted"));
        // per-session: one charge per attended session deducted from the catalog price; none for the refused one
        assertThat(charges()).extracting(ch -> ch.get("amount").decimalValue().toPlainString())
                .containsExactly("180.00", "180.00");
        // s1 cancelled: its session comes back
        put("Appointment", "s1", appointment("s1", "2026-12-02", "CANCELLED", ",\"enrollmentId\":\"e1\""));
        assertThat(change("Appointment", "s1").session()).isEqualTo("RELEASED");
        assertThat(record("PackageEnrollment", "e1").get("sessionsBalance").asInt()).isEqualTo(1);
        // the enrollment changes: the refused session is taken now, and its dead letter closed
        put("PackageEnrollment", "e1", "{\"id\":\"e1\",\"patientId\":\"p1\",\"procedureCode\":\"P1\","
                + "\"sessionsTotal\":2,\"enrolledOn\":\"2026-11-01\",\"billingMode\":\"PER_SESSION\"}");
        change("PackageEnrollment", "e1");
        e = record("PackageEnrollment", "e1");
        assertThat(e.get("sessionsUsed").asInt()).isEqualTo(2);
        assertThat(e.get("sessionsBalance").asInt()).isZero();
        List<DeadLetter> left = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        assertThat(left).isEmpty();
        // the session taken after the renewal is billed then: three sessions, three charges
        assertThat(charges()).hasSize(3);
        long used = db.inTransaction(c -> EventOutbox.unpublished(c, 500).stream()
                .filter(ev -> ev.type().equals("package.session-used")).count());
        assertThat(used).isEqualTo(3);
    }

    @Test
    void anUpfrontPackageIsChargedOnceAtEnrollmentAndItsSessionsAreNot() {
        put("PackageEnrollment", "e2", "{\"id\":\"e2\",\"patientId\":\"p1\",\"procedureCode\":\"P1\","
                + "\"sessionsTotal\":4,\"enrolledOn\":\"2026-12-01\",\"billingMode\":\"UPFRONT\",\"packageName\":"
                + "\"Pacote 4\",\"totalPrice\":600.00}");
        assertThat(change("PackageEnrollment", "e2").billing()).isEqualTo("CHARGED");
        put("Appointment", "u1", appointment("u1", "2026-12-02", "ATTENDED", ",\"enrollmentId\":\"e2\""));
        ClinicFlows.Result r = change("Appointment", "u1");
        assertThat(r.session()).isEqualTo("USED");
        assertThat(r.billing()).isEqualTo("PACKAGE");
        assertThat(charges()).singleElement().satisfies(ch -> {
            assertThat(ch.get("amount").decimalValue()).isEqualByComparingTo("600.00");
            assertThat(ch.has("appointmentId")).isFalse();
        });
    }

    @Test
    void aPaymentPaysItsChargeOnce() {
        put("Charge", "c1", "{\"id\":\"c1\",\"patientId\":\"p1\",\"dueDate\":\"2026-12-02\",\"amount\":200.00,"
                + "\"status\":\"OPEN\"}");
        put("Payment", "pay1", "{\"id\":\"pay1\",\"chargeId\":\"c1\",\"paidOn\":\"2026-12-02\",\"amount\":120.00,"
                + "\"method\":\"PIX\"}");
        assertThat(change("Payment", "pay1").billing()).isEqualTo("PAID");
        assertThat(record("Charge", "c1").get("status").asText()).isEqualTo("PARTIALLY_PAID");
        put("Payment", "pay2", "{\"id\":\"pay2\",\"chargeId\":\"c1\",\"paidOn\":\"2026-12-02\",\"amount\":80.00}");
        change("Payment", "pay2");
        JsonNode charge = record("Charge", "c1");
        assertThat(charge.get("status").asText()).isEqualTo("PAID");
        assertThat(charge.get("payments")).hasSize(2);
        // a payment on a cancelled charge is recorded on it, and the charge stays cancelled
        put("Charge", "c2", "{\"id\":\"c2\",\"patientId\":\"p1\",\"dueDate\":\"2026-12-02\",\"amount\":50.00,"
                + "\"status\":\"CANCELLED\"}");
        put("Payment", "pay3", "{\"id\":\"pay3\",\"chargeId\":\"c2\",\"paidOn\":\"2026-12-02\",\"amount\":50.00}");
        change("Payment", "pay3");
        assertThat(record("Charge", "c2").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(record("Charge", "c2").get("payments")).hasSize(1);
    }

    @Test
    void aPaymentBeforeItsChargeIsAppliedWhenTheChargeArrives() {
        put("Payment", "pay9", "{\"id\":\"pay9\",\"chargeId\":\"c9\",\"paidOn\":\"2026-12-02\",\"amount\":75.00}");
        assertThat(change("Payment", "pay9").billing()).isEqualTo("NONE");
        put("Charge", "c9", "{\"id\":\"c9\",\"patientId\":\"p1\",\"dueDate\":\"2026-12-02\",\"amount\":75.00,"
                + "\"status\":\"OPEN\"}");
        change("Charge", "c9");
        JsonNode charge = record("Charge", "c9");
        assertThat(charge.get("status").asText()).isEqualTo("PAID");
        assertThat(charge.get("payments")).hasSize(1);
    }

    @Test
    void aSourceChargeForAnAppointmentTheHubChargedIsFlaggedUntilCancelled() {
        put("Appointment", "a7", appointment("a7", "2026-12-02", "ATTENDED", ",\"price\":250.00"));
        List<String> hubCharges = change("Appointment", "a7").charges();
        assertThat(hubCharges).hasSize(1);
        // the hub's own charge is not a duplicate of itself
        assertThat(change("Charge", hubCharges.get(0)).review()).isEmpty();
        String source = "{\"id\":\"700009\",\"patientId\":\"p1\",\"appointmentId\":\"a7\",\"dueDate\":"
                + "\"2026-12-02\",\"amount\":250.00,\"status\":\"%s\"}";
        put("Charge", "700009", source.formatted("OPEN"));
        assertThat(change("Charge", "700009").review()).containsExactly("charged-twice");
        List<ReviewList.Item> open = db.inTransaction(c -> ReviewList.open(c, "Charge", "700009"));
        assertThat(open).singleElement().satisfies(i -> assertThat(i.detail()).contains("a7")
                .contains(hubCharges.get(0)));
        put("Charge", "700009", source.formatted("CANCELLED"));
        assertThat(change("Charge", "700009").review()).isEmpty();
        List<ReviewList.Item> after = db.inTransaction(c -> ReviewList.open(c, "Charge", "700009"));
        assertThat(after).isEmpty();
    }

    @Test
    void flaggedAppointmentsAreBilledWhenWhatTheyLackedArrives() {
        // the plan's coverage row comes after the appointment
        put("Appointment", "f1", appointment("f1", "2026-12-02", "ATTENDED", ",\"insurancePlanId\":\"amil\""));
        assertThat(change("Appointment", "f1").review()).containsExactly("insurance-coverage-unknown");
        put("Coverage", "cov9", "{\"id\":\"cov9\",\"insurancePlanId\":\"amil\",\"procedureCode\":\"P1\","
                + "\"covered\":true,\"allowedAmount\":100.00}");
        assertThat(change("Coverage", "cov9").charges()).hasSize(1);
        assertThat(charges()).extracting(ch -> ch.get("payer").asText() + " " + ch.get("amount").decimalValue()
                .toPlainString()).containsExactly("INSURANCE 100.00");
        // the enrollment comes after its appointment: its session is taken and billed then
        put("Appointment", "f2", appointment("f2", "2026-12-02", "ATTENDED", ",\"enrollmentId\":\"e9\""));
        assertThat(change("Appointment", "f2").review()).containsExactly("package-enrollment-unknown");
        put("PackageEnrollment", "e9", "{\"id\":\"e9\",\"patientId\":\"p1\",\"procedureCode\":\"P1\","
                + "\"sessionsTotal\":3,\"enrolledOn\":\"2026-11-01\",\"billingMode\":\"PER_SESSION\"}");
        change("PackageEnrollment", "e9");
        assertThat(record("PackageEnrollment", "e9").get("sessionsUsed").asInt()).isEqualTo(1);
        assertThat(charges()).hasSize(2);
        Map<String, Long> open = db.inTransaction(ReviewList::openByRule);
        assertThat(open).isEmpty();
    }

    @Test
    void badSettingsNameTheirKeys() {
        ClinicSettings s = ClinicSettings.from(Map.of(ClinicSettings.REQUIRED_FIELDS, "name,shoeSize",
                ClinicSettings.DEDUCT_ON, "ATTENDED,NO_SHOW", ClinicSettings.RELEASE_ON, "NO_SHOW,BOGUS",
                ClinicSettings.BILLING, "maybe", ClinicSettings.BILLING_FROM, "01/12/2026"));
        assertThat(s.problems()).hasSize(5).anySatisfy(p -> assertThat(p).startsWith(ClinicSettings.REQUIRED_FIELDS)
                .contains("shoeSize")).anySatisfy(p -> assertThat(p).contains("BOGUS"))
                .anySatisfy(p -> assertThat(p).contains("NO_SHOW").contains("both"))
                .anySatisfy(p -> assertThat(p).startsWith(ClinicSettings.BILLING + ":"))
                .anySatisfy(p -> assertThat(p).startsWith(ClinicSettings.BILLING_FROM));
    }
}
