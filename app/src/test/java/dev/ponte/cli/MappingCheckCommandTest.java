package dev.ponte.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
    void aHostileFileIsOneRefusalAndTheOtherFilesAreStillChecked(@TempDir Path dir) throws IOException {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "mapping: x\ndescription: Depilação\n".getBytes(StandardCharsets.ISO_8859_1));
        Path bomb = dir.resolve("bomb.yaml");
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 10; i++) {
            yaml.append("b").append(i).append(": &b").append(i).append(" [").append("*a, ".repeat(9)).append("*a]\n");
        }
        Files.writeString(bomb, yaml);
        CliRun run = CliRun.of("mapping", "check", latin1.toString(), bomb.toString(), MAPPINGS + "agenda.yaml");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("REFUSED " + latin1, "REFUSED " + bomb, "ok      " + MAPPINGS + "agenda.yaml",
                "3 file(s) checked, 2 refused");
        assertThat(run.err()).contains(latin1 + ":2: (file): not UTF-8 (byte 0xE7)", bomb + ":")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(CliRun.of("mapping", "check").exitCode()).isEqualTo(2);
    }
}
