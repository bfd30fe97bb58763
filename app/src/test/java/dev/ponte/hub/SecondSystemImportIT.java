package dev.ponte.hub;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.cli.PonteCliRunner;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second clinic system's export, as a new admin meets it (examples/esthetix): UTF-8 with a BOM, comma separated,
 * quoted fields, ISO dates, 12-hour times, English status words, a duration instead of an end time, and the patient
 * and the appointment in one row. Two mappings read the same file (mappings/esthetix): every good row is a patient
 * and an appointment, the repeated copies of a patient are one record, every bad row is a dead letter naming its
 * column, and importing the same export again changes nothing.
 */
@Tag("store")
class SecondSystemImportIT {

    static final Path EXPORT = HubTestSupport.HOME.resolve("examples/esthetix");
    static final Path MAPPINGS = HubTestSupport.HOME.resolve("mappings/esthetix");

    @Test
    void aDenormalizedExportBecomesPatientsAndAppointmentsAndAReimportChangesNothing(@TempDir Path tmp)
            throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        Path report = tmp.resolve("report.json");
        PonteCliRunner.Result first = PonteCliRunner.run("import", EXPORT.toString(), "--mappings", MAPPINGS.toString(),
                "--data-dir", dataDir.toString(), "--report", report.toString());
        assertThat(first.exitCode()).as(first.transcript()).isZero();
        JsonNode files = Json.MAPPER.readTree(report.toFile()).get("files");
        assertThat(counts(files)).containsExactly(
                Map.entry("services.csv", "rows 3, created 3, unchanged 0, rejected 0"),
                Map.entry("visits.csv#Appointment", "rows 11, created 7, unchanged 0, rejected 4"),
                // five patients, each on two rows: the second copy is the same record; C06's CPF is wrong
                Map.entry("visits.csv#Patient", "rows 11, created 5, unchanged 5, rejected 1"));
        assertThat(files.at("/visits.csv#Appointment/rejectedRows").findValuesAsText("sourceField"))
                .containsExactly("duration_min", "patient_id", "start_time", "status");

        Map<String, String> rejected;
        try (Database db = PonteHub.openDatabase(HubSettings.load(dataDir, null, Map.of()))) {
            rejected = rejectedRows(db);
            assertThat(rejected).containsExactly(
                    Map.entry("C06", "esthetix/visit-patients@1 line 9 cpf-check-digit on patient_cpf"),
                    Map.entry("V1007", "esthetix/visit-appointments@1 line 8 invalid-number on duration_min"),
                    // the appointment of the refused patient: its patient is not known, not guessed
                    Map.entry("V1008", "esthetix/visit-appointments@1 line 9 unknown-reference on patient_id"),
                    Map.entry("V1009", "esthetix/visit-appointments@1 line 10 invalid-time on start_time"),
                    Map.entry("V1010", "esthetix/visit-appointments@1 line 11 unknown-value on status"));
            assertThat(db.inTransaction(CanonicalStore::countsByType)).containsEntry("Patient", 5L)
                    .containsEntry("Appointment", 7L).containsEntry("Procedure", 3L);
            // the appointment sees the patient of its own row; its end is the start plus the duration
            JsonNode v1003 = appointment(db, "V1003");
            assertThat(v1003.get("start").asText()).isEqualTo("2026-03-09T14:30:00-03:00");
            assertThat(v1003.get("end").asText()).isEqualTo("2026-03-09T15:00:00-03:00");
            assertThat(v1003.get("status").asText()).isEqualTo("SCHEDULED");
            assertThat(v1003.get("price").decimalValue()).isEqualByComparingTo("1200.00");
            assertThat(v1003.get("patientId").asText()).isEqualTo(db.inTransaction(c -> CanonicalStore
                    .referencedId(c, "esthetix", "Patient", "C01")).orElseThrow());
        }

        PonteCliRunner.Result again = PonteCliRunner.run("import", EXPORT.toString(), "--mappings",
                MAPPINGS.toString(), "--data-dir", dataDir.toString(), "--report", report.toString());
        assertThat(again.exitCode()).as(again.transcript()).isZero();
        assertThat(counts(Json.MAPPER.readTree(report.toFile()).get("files"))).containsExactly(
                Map.entry("services.csv", "rows 3, created 0, unchanged 3, rejected 0"),
                Map.entry("visits.csv#Appointment", "rows 11, created 0, unchanged 7, rejected 4"),
                Map.entry("visits.csv#Patient", "rows 11, created 0, unchanged 10, rejected 1"));
        try (Database db = PonteHub.openDatabase(HubSettings.load(dataDir, null, Map.of()))) {
            // the same bad rows are the same dead letters, seen twice, not five more
            assertThat(rejectedRows(db)).isEqualTo(rejected);
            List<DeadLetter> open = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
            assertThat(open).extracting(DeadLetter::attempts).containsOnly(2);
            assertThat(db.inTransaction(CanonicalStore::countsByType)).containsEntry("Patient", 5L)
                    .containsEntry("Appointment", 7L);
        }
        PonteCliRunner.Result status = PonteCliRunner.run("status", "--data-dir", dataDir.toString());
        assertThat(status.out()).containsPattern("visits.csv#Patient +11 +0 +0 +10 +1")
                .containsPattern("visits.csv#Appointment +11 +0 +0 +7 +4");
    }

    private static Map<String, String> counts(JsonNode files) {
        Map<String, String> out = new TreeMap<>();
        files.fields().forEachRemaining(e -> out.put(e.getKey(), "rows " + e.getValue().get("rows") + ", created "
                + e.getValue().get("created") + ", unchanged " + e.getValue().get("unchanged") + ", rejected "
                + e.getValue().get("rejected")));
        return out;
    }

    private static Map<String, String> rejectedRows(Database db) {
        List<DeadLetter> open = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        Map<String, String> out = new TreeMap<>();
        for (DeadLetter d : open) {
            JsonNode first;
            try {
                first = Json.MAPPER.readTree(d.violations()).get(0);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            out.put(d.sourceKey(), d.mapping() + " line " + d.sourceLine() + " " + first.get("rule").asText() + " on "
                    + first.get("sourceField").asText());
        }
        return out;
    }

    private static JsonNode appointment(Database db, String visit) throws Exception {
        String payload = db.inTransaction(c -> CanonicalStore.payload(c, "Appointment", CanonicalStore
                .referencedId(c, "esthetix", "Appointment", visit).orElseThrow()).orElseThrow());
        return Json.MAPPER.readTree(payload);
    }
}
