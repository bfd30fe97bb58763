package dev.ponte.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MappingDraftCommandTest {

    static final String VISITS = "../examples/esthetix/visits.csv";

    @Test
    void writesOneDraftPerEntityAndNeverOverwritesUnasked(@TempDir Path out) {
        CliRun run = CliRun.of("mapping", "draft", VISITS, "--target", "Patient,Appointment", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("visits.csv: UTF-8 with BOM, delimiter ',', 14 columns, 11 sample rows",
                "visits-patient.yaml: 6 field(s) mapped", "visits-appointment.yaml: 3 field(s) mapped, 2 suggestion(s)"
                        + " to check, 3 TODO(s)");
        assertThat(out.resolve("visits-patient.yaml")).exists();
        CliRun again = CliRun.of("mapping", "draft", VISITS, "--target", "Patient", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("visits-patient.yaml exists; give --force");
        CliRun patientDraftChecks = CliRun.of("mapping", "check", out.resolve("visits-patient.yaml").toString());
        assertThat(patientDraftChecks.exitCode()).as(patientDraftChecks.err()).isZero();
    }

    @Test
    void anUnknownTargetIsAUsageError(@TempDir Path out) {
        CliRun run = CliRun.of("mapping", "draft", VISITS, "--target", "Pacient", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'Pacient' is not a canonical entity");
    }
}
