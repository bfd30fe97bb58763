package dev.ponte.cli;

import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ponte reconcile}: the counts by rule and each finding, the two reports, exit 0 with findings. */
class ReconcileCommandTest {

    @TempDir
    Path dir;

    @Test
    void findingsAreListedAndWrittenAndAreNotAnError() throws Exception {
        try (Database db = PonteHub.openDatabase(HubSettings.load(dir, null, Map.of()))) {
            db.inTransaction(c -> {
                String a = "{\"id\":\"a1\",\"patientId\":\"p1\",\"procedureCode\":\"P1\",\"start\":"
                        + "\"2026-11-30T10:00:00-03:00\",\"end\":\"2026-11-30T11:00:00-03:00\",\"status\":\"ATTENDED\"}";
                CanonicalStore.insert(c, "Appointment", "a1", a, "h1", Instant.now());
                return null;
            });
        }
        CliRun run = CliRun.of("reconcile", "--date", "2026-12-01", "--data-dir", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("reconciliation of 2026-12-01: 1 finding(s)")
                .containsPattern("attended-not-charged +1")
                .contains("attended-not-charged  Appointment/a1  attended on 2026-11-30, procedure P1, no charge names it");
        assertThat(dir.resolve("reports/reconcile-2026-12-01.csv")).exists();
        assertThat(Files.readString(dir.resolve("reports/reconcile-2026-12-01.json"))).contains("\"findings\"");
        CliRun bad = CliRun.of("reconcile", "--date", "01/12/2026", "--data-dir", dir.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--date: '01/12/2026' is not a date YYYY-MM-DD");
    }
}
