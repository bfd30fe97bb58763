package dev.ponte.mappings;

import dev.ponte.glossary.Glossary;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.validation.RecordValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken mapping is refused, and the refusal lists every problem with file, line and field. */
class BrokenMappingTest {

    private static final Path BROKEN = Path.of("src/test/resources/broken");
    private static RecordValidator validator;
    private static MappingLoader loader;

    @BeforeAll
    static void setUp() {
        Glossary glossary = ShippedMappings.glossary();
        validator = ShippedMappings.validator(glossary);
        loader = new MappingLoader(glossary, validator);
    }

    @AfterAll
    static void tearDown() {
        validator.close();
    }

    private static List<MappingProblem> problemsOf(String file) {
        MappingException e = (MappingException) org.assertj.core.api.Assertions.catchThrowable(
                () -> loader.load(BROKEN.resolve(file)));
        assertThat(e).as("%s must be refused", file).isNotNull();
        return e.problems();
    }

    @Test
    void everyProblemIsListedAtOnceWithLineAndField() {
        List<MappingProblem> problems = problemsOf("pacientes-broken.yaml");
        assertThat(problems).extracting(MappingProblem::toString).anySatisfy(p -> assertThat(p)
                .endsWith("pacientes-broken.yaml:13: Patient.cpff: no such canonical field; did you mean Patient.cpf?"));
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(14);
            assertThat(p.field()).isEqualTo("Patient.birthDate");
            assertThat(p.message()).contains("dd/MM/yyyy HH:mm", "not a pattern for a whole date");
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(15);
            assertThat(p.message()).contains("bad pattern 'dd/bb/yyyy'");
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(16);
            assertThat(p.message()).contains("'FEMININO' is not an allowed value of Patient.sex");
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(17);
            assertThat(p.message()).contains("unknown transform 'lowercase'", "did you mean 'lower'?");
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(18);
            assertThat(p.field()).isEqualTo("Address.sttate");
            assertThat(p.message()).contains("did you mean Address.state?");
        });
        assertThat(problems).hasSize(6);
    }

    @Test
    void aFailingExampleRefusesTheMapping() {
        List<MappingProblem> problems = problemsOf("failing-example.yaml");
        assertThat(problems).extracting(MappingProblem::toString)
                .anySatisfy(p -> assertThat(p).contains("failing-example.yaml:16: examples[1]:",
                        "expected a record but the input was rejected: invalid-number on VALOR"))
                .anySatisfy(p -> assertThat(p).contains("failing-example.yaml:19: examples[2]:",
                        "Procedure.kind: expected 'PRODUCT' but the mapping gives 'SERVICE'"));
        assertThat(problems).hasSize(2);
    }

    @Test
    void theShippedMappingsLoad() {
        assertThat(ShippedMappings.legacyClinic(ShippedMappings.glossary(), validator).inReferenceOrder())
                .hasSize(7);
    }

    @Test
    void notYamlAtAllIsReportedWithItsLine() {
        assertThatThrownBy(() -> loader.load(BROKEN.resolve("not-yaml.txt"))).isInstanceOf(MappingException.class)
                .hasMessageContaining("not-yaml.txt:2: (yaml): not valid YAML");
    }
}
