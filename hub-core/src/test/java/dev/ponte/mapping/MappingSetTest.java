package dev.ponte.mapping;

import dev.ponte.TestGlossary;
import dev.ponte.spi.SourceReadException;
import dev.ponte.validation.RecordValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several mappings on one file: one entity each, in reference order; ambiguous sets are refused, never half-used. */
class MappingSetTest {

    private static RecordValidator validator;
    private static MappingLoader loader;

    @BeforeAll
    static void setUp() {
        validator = TestGlossary.validator();
        loader = new MappingLoader(TestGlossary.get(), validator);
    }

    @AfterAll
    static void tearDown() {
        validator.close();
    }

    private static void write(Path dir, String name, String entity, String file, String fields) throws IOException {
        Files.writeString(dir.resolve(name + ".yaml"), """
                mapping: %s
                version: 1
                source: {system: two, file: '%s', key: ID}
                target: %s
                fields:
                %s
                """.formatted(name.replaceAll("-copy$", ""), file, entity, fields.indent(2)));
    }

    private static final String PATIENT = "name: NOME\n";
    private static final String APPOINTMENT = """
            patientId: ID
            procedureCode: {value: X}
            status: {value: SCHEDULED}
            start: {from: INICIO, transforms: [datetime]}
            end: {from: INICIO, transforms: [datetime, {plus-duration: {minutes: 30}}]}
            """;

    @Test
    void aFileReadByTwoMappingsGivesBothInReferenceOrder(@TempDir Path dir) throws IOException {
        write(dir, "a-visits", "Appointment", "visitas*.csv", APPOINTMENT);
        write(dir, "z-patients", "Patient", "visitas*.csv", PATIENT);
        MappingSet set = MappingSet.load(dir, loader);
        assertThat(set.forFile("visitas-2026.csv")).extracting(m -> m.target().getSimpleName())
                .containsExactly("Patient", "Appointment");
        assertThat(set.forFile("outra.csv")).isEmpty();
    }

    @Test
    void twoMappingsOfOneEntityOnOneFileAreRefused(@TempDir Path dir) throws IOException {
        write(dir, "patients", "Patient", "visitas.csv", PATIENT);
        write(dir, "more-patients", "Patient", "visitas*.csv", PATIENT);
        assertThatThrownBy(() -> MappingSet.load(dir, loader)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).endsWith("patients.yaml");
                    assertThat(p.field()).isEqualTo("target");
                    assertThat(p.message()).contains("both more-patients.yaml and this file map file 'visitas.csv' to"
                            + " Patient: ambiguous");
                }));
    }

    @Test
    void twoMappingsWithOneNameAreRefused(@TempDir Path dir) throws IOException {
        write(dir, "patients", "Patient", "a.csv", PATIENT);
        write(dir, "patients-copy", "Patient", "b.csv", PATIENT);
        assertThatThrownBy(() -> MappingSet.load(dir, loader)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message())
                        .contains("'patients' is also the name of")));
    }

    @Test
    void overlappingPatternsTheCheckCannotSeeStopTheFileNotHalfOfIt(@TempDir Path dir) throws IOException {
        write(dir, "patients-a", "Patient", "visitas-*.csv", PATIENT);
        write(dir, "patients-b", "Patient", "*-2026.csv", PATIENT);
        MappingSet set = MappingSet.load(dir, loader);
        assertThatThrownBy(() -> set.forFile("visitas-2026.csv")).isInstanceOf(SourceReadException.class)
                .hasMessageContaining("both mappings patients-a@1 and patients-b@1 read it as Patient");
        assertThat(set.forFile("visitas-2025.csv")).hasSize(1);
    }
}
