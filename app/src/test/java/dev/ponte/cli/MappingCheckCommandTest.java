package dev.ponte.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MappingCheckCommandTest {

    static final String MAPPINGS = "../mappings/legacy-clinic/";
    static final String BROKEN = "../mappings/src/test/resources/broken/pacientes-broken.yaml";

    @Test
    void exitsZeroWhenEveryFileLoads() {
        CliRun run = CliRun.of("mapping", "check", MAPPINGS + "pacientes.yaml", MAPPINGS + "agenda.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ok      " + MAPPINGS + "pacientes.yaml", "2 file(s) checked, 0 refused");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void exitsOneAndPrintsEveryProblemOfEveryRefusedFile() {
        CliRun run = CliRun.of("mapping", "check", BROKEN, MAPPINGS + "agenda.yaml");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("REFUSED " + BROKEN + "  (6 problem(s))", "2 file(s) checked, 1 refused");
        assertThat(run.err().lines()).hasSize(6)
                .anySatisfy(l -> assertThat(l).isEqualTo(BROKEN + ":13: Patient.cpff: no such canonical field; "
                        + "did you mean Patient.cpf?"));
    }

    @Test
    void aMissingFileIsRefusedNotACrash() {
        CliRun run = CliRun.of("mapping", "check", "no-such-mapping.yaml");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no-such-mapping.yaml:0: (file): cannot read");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(CliRun.of("mapping", "check").exitCode()).isEqualTo(2);
    }
}
