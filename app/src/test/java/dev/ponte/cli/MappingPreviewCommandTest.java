package dev.ponte.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MappingPreviewCommandTest {

    static final String MAPPINGS = "../mappings/legacy-clinic/";
    static final String EXPORT = "../examples/legacy-clinic/";

    private static List<JsonNode> lines(String out) {
        return out.lines().map(l -> {
            try {
                return Json.MAPPER.readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + l, e);
            }
        }).toList();
    }

    @Test
    void printsOneJsonObjectPerRowWithStatusEntityAndViolations() {
        CliRun run = CliRun.of("mapping", "preview", MAPPINGS + "agenda.yaml", EXPORT + "agenda.csv", "--lang", "en");
        assertThat(run.exitCode()).isZero();
        List<JsonNode> rows = lines(run.out());
        assertThat(rows).hasSize(1002);
        JsonNode first = rows.get(0);
        assertThat(first.get("line").asInt()).isEqualTo(2);
        assertThat(first.get("status").asText()).isEqualTo("ok");
        assertThat(first.at("/entity/status").asText()).isEqualTo("ATTENDED");
        assertThat(first.at("/entity/price").decimalValue()).isEqualByComparingTo("280.00");
        assertThat(first.get("violations")).isEmpty();

        JsonNode unknownPatient = rows.get(24); // line 26
        assertThat(unknownPatient.get("line").asInt()).isEqualTo(26);
        assertThat(unknownPatient.get("status").asText()).isEqualTo("rejected");
        assertThat(unknownPatient.get("entity").isNull()).isTrue();
        JsonNode v = unknownPatient.get("violations").get(0);
        assertThat(v.get("path").asText()).isEqualTo("Appointment.patientId");
        assertThat(v.get("term").asText()).isEqualTo("Patient");
        assertThat(v.get("sourceField").asText()).isEqualTo("COD_PACIENTE");
        assertThat(v.get("rule").asText()).isEqualTo("unknown-reference");
        assertThat(v.get("message").asText()).contains("Patient", "999999", "import it first");
        assertThat(rows.stream().filter(r -> r.get("status").asText().equals("rejected"))).hasSize(40);
        assertThat(run.err()).contains("1002 row(s), 962 accepted, 40 rejected", "Patient 194");
    }

    @Test
    void limitsRowsAndSpeaksPortuguese() {
        CliRun run = CliRun.of("mapping", "preview", MAPPINGS + "pacientes.yaml", EXPORT + "pacientes.csv",
                "--limit", "30", "--lang", "pt-BR");
        List<JsonNode> rows = lines(run.out());
        assertThat(rows).hasSize(30);
        JsonNode badCpf = rows.get(24);
        assertThat(badCpf.at("/violations/0/message").asText()).contains("dígitos verificadores");
        assertThat(badCpf.at("/violations/0/term").asText()).isEqualTo("CPF");
    }

    @Test
    void masksPersonalAndHealthDataUnlessAskedNotTo() {
        CliRun masked = CliRun.of("mapping", "preview", MAPPINGS + "pacientes.yaml", EXPORT + "pacientes.csv",
                "--limit", "1");
        JsonNode p = lines(masked.out()).get(0).get("entity");
        assertThat(p.get("cpf").asText()).isEqualTo("***27");
        assertThat(p.get("name").asText()).startsWith("***");
        assertThat(p.get("notes").asText()).isEqualTo("***");
        assertThat(masked.out()).doesNotContain("01815908327", "Gestante");

        CliRun shown = CliRun.of("mapping", "preview", MAPPINGS + "pacientes.yaml", EXPORT + "pacientes.csv",
                "--limit", "1", "--show-sensitive");
        JsonNode q = lines(shown.out()).get(0).get("entity");
        assertThat(q.get("cpf").asText()).isEqualTo("01815908327");
        assertThat(q.get("mobilePhone").asText()).isEqualTo("+5519978512144");
    }

    @Test
    void aRefusedMappingExitsOneWithItsProblems() {
        CliRun run = CliRun.of("mapping", "preview", "../mappings/src/test/resources/broken/pacientes-broken.yaml",
                EXPORT + "pacientes.csv");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Patient.cpff: no such canonical field");
    }

    @Test
    void anInputThatDoesNotFitTheMappingExitsTwoSayingWhy(@TempDir Path dir) throws IOException {
        Path wrong = dir.resolve("pacientes.csv");
        Files.writeString(wrong, "CODIGO,NOME\n1,Ana\n");
        CliRun run = CliRun.of("mapping", "preview", MAPPINGS + "pacientes.yaml", wrong.toString(), "--no-refs");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not in the header", "check the delimiter (';')");
    }
}
