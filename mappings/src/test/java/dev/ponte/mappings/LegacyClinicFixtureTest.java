package dev.ponte.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappedRecord;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingSet;
import dev.ponte.model.Patient;
import dev.ponte.source.ExportFiles;
import dev.ponte.validation.Messages;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceSet;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maps the whole demo export examples/legacy-clinic (a copy of the shared legacy-clinic fixture) with the shipped mappings and
 * checks every outcome against the generator's oracle, expected.json.
 */
class LegacyClinicFixtureTest {

    private static final Path EXPORT = ShippedMappings.DEMO_EXPORT;

    private static Glossary glossary;
    private static RecordValidator validator;
    private static JsonNode expected;
    /** file name → line → outcome, for every file, mapped in reference order with accumulated reference data. */
    private static final Map<String, Map<Long, MappedRecord>> outcomes = new HashMap<>();

    @BeforeAll
    static void mapTheWholeExport() throws Exception {
        glossary = ShippedMappings.glossary();
        validator = ShippedMappings.validator(glossary);
        MappingSet mappings = ShippedMappings.legacyClinic(glossary, validator);
        expected = Json.MAPPER.readTree(EXPORT.resolve("expected.json").toFile());
        ReferenceSet refs = new ReferenceSet();
        for (Mapping m : mappings.inReferenceOrder()) {
            refs.hold(m.target());
            Map<Long, MappedRecord> byLine = new LinkedHashMap<>();
            try (Stream<MappedRecord> records = ExportFiles.map(EXPORT.resolve(m.source().file()), m, validator, refs)) {
                records.forEach(r -> {
                    byLine.put(r.line(), r);
                    if (r.accepted()) {
                        refs.add(m.target(), r.sourceKey(), r.entity());
                    }
                });
            }
            outcomes.put(m.source().file(), byLine);
        }
    }

    @AfterAll
    static void close() {
        validator.close();
    }

    @Test
    void everyFileOfTheExportHasAMapping() {
        Set<String> files = new TreeSet<>();
        expected.get("files").fieldNames().forEachRemaining(files::add);
        // the shared fixture's files, plus the coverage table this project adds to its demo copy (issue 16)
        files.add("coberturas.csv");
        assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(outcomes.get("coberturas.csv").values()).hasSize(7).allMatch(MappedRecord::accepted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"procedimentos.csv", "profissionais.csv", "pacientes.csv", "pacotes.csv", "agenda.csv",
            "financeiro.csv"})
    void rejectsExactlyTheBrokenRowsNamingTheSourceField(String file) {
        JsonNode oracle = expected.get("files").get(file);
        Map<Long, MappedRecord> got = outcomes.get(file);
        assertThat(got).as("rows of %s", file).hasSize(oracle.get("rows").asInt());

        Map<Long, String> expectedRejections = new LinkedHashMap<>();
        oracle.get("rejected").forEach(r -> expectedRejections.put(r.get("line").asLong(), r.get("field").isNull()
                ? null : r.get("field").asText()));
        Map<Long, MappedRecord> rejected = got.entrySet().stream().filter(e -> !e.getValue().accepted())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));

        assertThat(rejected.keySet()).as("rejected lines of %s; unexpected rejections: %s", file,
                describe(rejected, expectedRejections.keySet())).containsExactlyInAnyOrderElementsOf(expectedRejections.keySet());
        expectedRejections.forEach((line, field) -> {
            List<Violation> violations = rejected.get(line).violations();
            if (field == null) {
                assertThat(violations).as("%s line %d", file, line).extracting(Violation::rule)
                        .contains(Rules.MALFORMED_ROW);
            } else {
                assertThat(violations).as("%s line %d", file, line).extracting(Violation::sourceField).contains(field);
            }
        });
        assertThat(got.size() - rejected.size()).isEqualTo(oracle.get("accepted").asInt());
    }

    @Test
    void sameCpfDuplicatesCarryTheOriginalsNormalizedCpf() {
        Map<String, MappedRecord> byKey = new HashMap<>();
        outcomes.get("pacientes.csv").values().forEach(r -> byKey.put(r.sourceKey(), r));
        JsonNode notes = expected.get("files").get("pacientes.csv").get("notes");
        assertThat(notes).isNotEmpty();
        notes.forEach(note -> {
            Patient duplicate = (Patient) byKey.get(note.get("key").asText()).entity();
            Patient original = (Patient) byKey.get(note.get("duplicate_of").asText()).entity();
            assertThat(duplicate).as("duplicate %s", note.get("key")).isNotNull();
            assertThat(original).as("original %s", note.get("duplicate_of")).isNotNull();
            assertThat(duplicate.cpf()).matches("\\d{11}").isEqualTo(original.cpf());
            assertThat(duplicate.name()).isNotEqualTo(original.name()); // written another way in the legacy system
        });
    }

    @Test
    void violationsRenderInBothLanguagesWithoutUnmaskedPersonalData() {
        Messages messages = new Messages(glossary);
        MappedRecord badCpf = outcomes.get("pacientes.csv").get(26L);
        Violation v = badCpf.violations().get(0);
        assertThat(v.path()).isEqualTo("Patient.cpf");
        assertThat(v.rule()).isEqualTo(Rules.CPF_CHECK_DIGIT);
        assertThat(v.value()).isEqualTo("***17").doesNotContain("705.656");
        assertThat(messages.render(v, Messages.EN)).contains("CPF", "CPF", "check digits").doesNotContain("705");
        assertThat(messages.render(v, Messages.PT_BR)).contains("dígitos verificadores");
    }

    private static String describe(Map<Long, MappedRecord> rejected, Set<Long> expectedLines) {
        return rejected.entrySet().stream().filter(e -> !expectedLines.contains(e.getKey()))
                .map(e -> "line " + e.getKey() + ": " + e.getValue().violations()).collect(Collectors.joining("; "));
    }
}
