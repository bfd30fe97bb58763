package dev.ponte.mapping;

import dev.ponte.TestGlossary;
import dev.ponte.model.Patient;
import dev.ponte.model.Procedure;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transforms as an admin writes them in a mapping file. */
class TransformLibraryTest {

    @TempDir
    static Path dir;
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

    private static Mapping load(String target, String fields) throws IOException {
        Path file = Files.createTempFile(dir, "mapping", ".yaml");
        Files.writeString(file, """
                mapping: test
                version: 1
                source: {system: test, delimiter: ";", key: ID}
                target: %s
                lookups: {planos: planos.yaml}
                fields:
                %s
                """.formatted(target, fields.indent(2)));
        Files.writeString(dir.resolve("planos.yaml"), "entries: {PARTICULAR: null, 'Unimed Campinas': unimed}\n");
        return loader.load(file);
    }

    private static MappedRecord map(Mapping m, Map<String, String> row) {
        return m.apply(new SourceRecord(2, row), validator, ReferenceCatalog.NONE);
    }

    @Test
    void textTransformsAndBlankCellsBecomeNoValue() throws IOException {
        Mapping m = load("Patient", """
                name: {from: NOME, transforms: [collapse-spaces, upper]}
                socialName: {from: SOCIAL, transforms: [trim]}
                cpf: {from: CPF, transforms: [digits]}
                origin: {from: ORIGEM, transforms: [{default: Balcão}]}
                group: {from: GRUPO, transforms: [{split: {separator: '|', index: 1}}, lower]}
                insurancePlanId: {from: PLANO, transforms: [{lookup: planos}]}
                """);
        Patient p = (Patient) map(m, Map.of("ID", "1", "NOME", "  ana   maria ", "SOCIAL", "   ", "CPF", "529.982.247-25",
                "ORIGEM", "", "GRUPO", "A|VIP|x", "PLANO", "unimed campinas ")).entity();
        assertThat(p.name()).isEqualTo("ANA MARIA");
        assertThat(p.socialName()).isNull();
        assertThat(p.cpf()).isEqualTo("52998224725");
        assertThat(p.origin()).isEqualTo("Balcão");
        assertThat(p.group()).isEqualTo("vip");
        assertThat(p.insurancePlanId()).isEqualTo("unimed");
        Patient particular = (Patient) map(m, Map.of("ID", "2", "NOME", "B", "PLANO", "PARTICULAR")).entity();
        assertThat(particular.insurancePlanId()).isNull();
        MappedRecord unknownPlan = map(m, Map.of("ID", "3", "NOME", "C", "PLANO", "Golden Cross"));
        assertThat(unknownPlan.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("unknown-value");
            assertThat(v.sourceField()).isEqualTo("PLANO");
        });
    }

    @Test
    void numbersInBothLocalesAndIntegers() throws IOException {
        Mapping br = load("Procedure", """
                code: ID
                name: {value: X}
                kind: {value: SERVICE}
                serviceItem: {value: '06.02'}
                price: {from: VALOR, transforms: [{decimal: pt-BR}]}
                durationMinutes: {from: MIN, transforms: [integer]}
                """);
        assertThat(((Procedure) map(br, Map.of("ID", "1", "VALOR", "R$ 1.234,56", "MIN", "45")).entity()).price())
                .isEqualByComparingTo(new BigDecimal("1234.56"));
        assertThat(((Procedure) map(br, Map.of("ID", "1", "VALOR", "89,90", "MIN", "0")).entity()).price())
                .isEqualTo(new BigDecimal("89.90"));
        assertThat(map(br, Map.of("ID", "1", "VALOR", "1,234.56")).violations())
                .extracting(v -> v.rule() + "@" + v.sourceField()).containsExactly("invalid-number@VALOR");
        assertThat(map(br, Map.of("ID", "1", "VALOR", "10", "MIN", "4.5")).violations())
                .extracting(v -> v.rule() + "@" + v.sourceField()).containsExactly("invalid-number@MIN");
    }

    @Test
    void datetimeFromOneColumnOrFromDateAndTime() throws IOException {
        Mapping m = load("ClinicalNote", """
                patientId: P
                text: {value: nota}
                writtenAt: {from: [DIA, HORA], transforms: [{datetime: {date-pattern: dd/MM/yyyy, time-pattern: 'HH:mm'}}]}
                """);
        assertThat(((dev.ponte.model.ClinicalNote) map(m, Map.of("P", "1", "DIA", "05/01/2026", "HORA", "09:15"))
                .entity()).writtenAt()).isEqualTo(OffsetDateTime.parse("2026-01-05T09:15:00-03:00"));
        assertThat(map(m, Map.of("P", "1", "DIA", "05/01/2026", "HORA", "25:00")).violations())
                .extracting(v -> v.rule() + "@" + v.sourceField()).containsExactly("invalid-time@HORA");
        Mapping iso = load("ClinicalNote", """
                patientId: P
                text: {value: nota}
                writtenAt: {from: QUANDO, transforms: [{datetime: iso}]}
                """);
        assertThat(((dev.ponte.model.ClinicalNote) map(iso, Map.of("P", "1", "QUANDO", "2026-01-05T09:15:00Z"))
                .entity()).writtenAt()).isEqualTo(OffsetDateTime.parse("2026-01-05T09:15:00Z"));
    }

    @Test
    void conditionalOnAnotherColumnAndConcat() throws IOException {
        Mapping m = load("Patient", """
                name: {from: [PRIMEIRO, ULTIMO], transforms: [{concat: {separator: ' '}}]}
                origin:
                  from: ORIGEM
                  transforms:
                    - if: {column: TIPO, equals: I}
                      then: [{map: {values: {}, otherwise: keep}}, upper]
                      else: [{null-if: [-, N/A]}]
                """);
        Patient p = (Patient) map(m, Map.of("PRIMEIRO", "Ana", "ULTIMO", "Lima", "ORIGEM", "instagram", "TIPO", "I")).entity();
        assertThat(p.name()).isEqualTo("Ana Lima");
        assertThat(p.origin()).isEqualTo("INSTAGRAM");
        Patient q = (Patient) map(m, Map.of("PRIMEIRO", "Ana", "ORIGEM", "N/A", "TIPO", "X")).entity();
        assertThat(q.name()).isEqualTo("Ana");
        assertThat(q.origin()).isNull();
    }

    @Test
    void otherwiseIsOnePolicyForMapAndLookup() throws IOException {
        Mapping m = load("Patient", """
                name: {from: NOME, transforms: [{map: {values: {A: Ana}, otherwise: null}}, {default: X}]}
                origin: {from: ORIGEM, transforms: [{map: {values: {}, otherwise: keep}}]}
                group: {from: GRUPO, transforms: [{lookup: {table: planos, otherwise: null}}]}
                insurancePlanId: {from: PLANO, transforms: [{lookup: {table: planos, otherwise: keep}}]}
                """);
        Patient p = (Patient) map(m, Map.of("ID", "1", "NOME", "B", "ORIGEM", "balcão", "GRUPO", "Golden Cross",
                "PLANO", "Golden Cross")).entity();
        assertThat(p.name()).isEqualTo("X");
        assertThat(p.origin()).isEqualTo("balcão");
        assertThat(p.group()).isNull();
        assertThat(p.insurancePlanId()).isEqualTo("Golden Cross");
        assertThatThrownBy(() -> load("Patient", """
                name: {from: NOME, transforms: [{map: {values: {A: Ana}, otherwise: drop}}]}
                origin: {from: ORIGEM, transforms: [{lookup: {table: planos, otherwise: [keep]}}]}
                """)).isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems())
                .extracting(MappingProblem::message)
                .anySatisfy(msg -> assertThat(msg).contains("transform 'map': otherwise must be reject, keep or null,"
                        + " not 'drop'"))
                .anySatisfy(msg -> assertThat(msg).contains("transform 'lookup': otherwise must be reject, keep or "
                        + "null, not a list or a map")));
    }

    @Test
    void datetimeAsABareNameReadsIso8601() throws IOException {
        Mapping m = load("ClinicalNote", """
                patientId: P
                text: {value: nota}
                writtenAt: {from: QUANDO, transforms: [datetime]}
                """);
        assertThat(((dev.ponte.model.ClinicalNote) map(m, Map.of("P", "1", "QUANDO", "2026-01-05T09:15:00Z"))
                .entity()).writtenAt()).isEqualTo(OffsetDateTime.parse("2026-01-05T09:15:00Z"));
    }

    @Test
    void kindMismatchesAreRefusedWithAHint() {
        assertThatThrownBy(() -> load("Patient", """
                name: {from: [A, B], transforms: [trim]}
                birthDate: {from: NASC, transforms: [trim]}
                registeredOn: {from: CAD, transforms: [{date: dd/MM/yyyy}, trim]}
                """)).isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems())
                .extracting(MappingProblem::message)
                .anySatisfy(m -> assertThat(m).contains("expects text but receives list", "concat"))
                .anySatisfy(m -> assertThat(m).contains("Patient.birthDate is date but the transforms end with text",
                        "add {date: dd/MM/yyyy}"))
                .anySatisfy(m -> assertThat(m).contains("'trim' expects text but receives date")));
    }

    @Test
    void anEndTimeFromAStartAndADuration() throws IOException {
        Mapping m = load("Appointment", """
                patientId: P
                procedureCode: {value: TOX}
                status: {value: SCHEDULED}
                start: {from: [DIA, HORA], transforms: [{datetime: {date-pattern: yyyy-MM-dd, time-pattern: 'hh:mm a'}}]}
                end:
                  from: [DIA, HORA]
                  source-field: HORA
                  transforms:
                    - {datetime: {date-pattern: yyyy-MM-dd, time-pattern: 'hh:mm a'}}
                    - {plus-duration: {column: MINUTOS, unit: minutes}}
                """);
        dev.ponte.model.Appointment a = (dev.ponte.model.Appointment) map(m, Map.of("P", "1", "DIA", "2026-03-02",
                "HORA", "02:30 PM", "MINUTOS", "45")).entity();
        assertThat(a.start()).isEqualTo(OffsetDateTime.parse("2026-03-02T14:30:00-03:00"));
        assertThat(a.end()).isEqualTo(OffsetDateTime.parse("2026-03-02T15:15:00-03:00"));
        assertThat(map(m, Map.of("P", "1", "DIA", "2026-03-02", "HORA", "02:30 PM", "MINUTOS", "uma hora"))
                .violations()).extracting(v -> v.rule() + "@" + v.sourceField()).containsExactly("invalid-number@MINUTOS");
        assertThat(map(m, Map.of("P", "1", "DIA", "2026-03-02", "HORA", "02:30 PM", "MINUTOS", "-30"))
                .violations()).extracting(v -> v.rule() + "@" + v.sourceField()).containsExactly("invalid-number@MINUTOS");
        // no duration: no end, which the glossary requires; nothing is guessed
        assertThat(map(m, Map.of("P", "1", "DIA", "2026-03-02", "HORA", "02:30 PM")).violations())
                .extracting(v -> v.rule() + "@" + v.path()).containsExactly("required@Appointment.end");
        Mapping constant = load("Appointment", """
                patientId: P
                procedureCode: {value: TOX}
                status: {value: SCHEDULED}
                start: {from: INICIO, transforms: [datetime]}
                end: {from: INICIO, transforms: [datetime, {plus-duration: {hours: 1}}]}
                """);
        assertThat(((dev.ponte.model.Appointment) map(constant, Map.of("P", "1", "INICIO", "2026-03-02T09:00:00-03:00"))
                .entity()).end()).isEqualTo(OffsetDateTime.parse("2026-03-02T10:00:00-03:00"));
    }

    @Test
    void firstNonEmptySumDifferenceProductAndPercentage() throws IOException {
        Mapping m = load("Procedure", """
                code: ID
                name: {from: [APELIDO, NOME, CODIGO_ANTIGO], transforms: [first-non-empty]}
                kind: {value: SERVICE}
                serviceItem: {value: '06.02'}
                price: {from: [VALOR, TAXA, DESCONTO], source-field: VALOR, transforms: [{difference: pt-BR}]}
                durationMinutes: {from: [SESSAO, INTERVALO], transforms: [{sum: integer}, {multiply: 2}]}
                """);
        Procedure p = (Procedure) map(m, Map.of("ID", "1", "APELIDO", " ", "NOME", "Botox", "VALOR", "R$ 1.000,00",
                "TAXA", "", "DESCONTO", "100,005", "SESSAO", "30", "INTERVALO", "")).entity();
        assertThat(p.name()).isEqualTo("Botox");
        assertThat(p.price()).isEqualTo(new BigDecimal("900.00")); // 899.995 → HALF_EVEN → 900.00
        assertThat(p.durationMinutes()).isEqualTo(60);
        assertThat(map(m, Map.of("ID", "1", "NOME", "B", "VALOR", "10,00", "DESCONTO", "dez")).violations())
                .extracting(v -> v.rule() + "@" + v.sourceField()).containsExactly("invalid-number@DESCONTO");
        Mapping sum = load("Procedure", """
                code: ID
                name: {value: X}
                kind: {value: SERVICE}
                serviceItem: {value: '06.02'}
                price: {from: [VALOR, TAXA], transforms: [{sum: en}, {percent: 12.5}]}
                """);
        assertThat(((Procedure) map(sum, Map.of("ID", "1", "VALOR", "1,000.10", "TAXA", "0.10")).entity()).price())
                .isEqualTo(new BigDecimal("125.02")); // 1000.20 × 12.5 % = 125.025 → HALF_EVEN → 125.02
    }

    @Test
    void datePartsAndTheirKindsCheckedOnLoad() throws IOException {
        Mapping m = load("Patient", """
                name: {value: Ana}
                birthDate: {from: NASCIMENTO, transforms: [datetime, {part: date}]}
                """);
        assertThat(((Patient) map(m, Map.of("ID", "1", "NASCIMENTO", "1990-04-01T23:30:00-03:00")).entity())
                .birthDate()).isEqualTo(java.time.LocalDate.of(1990, 4, 1));
        Mapping hour = load("Procedure", """
                code: ID
                name: {value: X}
                kind: {value: SERVICE}
                serviceItem: {value: '06.02'}
                durationMinutes: {from: QUANDO, transforms: [datetime, {part: hour}]}
                """);
        assertThat(((Procedure) map(hour, Map.of("ID", "1", "QUANDO", "2026-01-05T09:15:00-03:00")).entity())
                .durationMinutes()).isEqualTo(9);
        assertThatThrownBy(() -> load("Patient", """
                name: {value: Ana}
                birthDate: {from: NASC, transforms: [datetime, {part: hour}]}
                registeredOn: {from: CAD, transforms: [{date: dd/MM/yyyy}, {part: time}]}
                origin: {from: ORIGEM, transforms: [{percent: dez}]}
                socialName: {from: X, transforms: [decimal, {multiply: 1e999999999}]}
                """)).isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems())
                .extracting(MappingProblem::message)
                .anySatisfy(msg -> assertThat(msg).contains("Patient.birthDate is date but the transforms end with "
                        + "integer"))
                .anySatisfy(msg -> assertThat(msg).contains("transform 'part': a date has no time"))
                .anySatisfy(msg -> assertThat(msg).contains("transform 'percent': 'dez' is not a number"))
                .anySatisfy(msg -> assertThat(msg).contains("transform 'multiply': '1e999999999' is not a number")));
    }

    @Test
    void aTargetThatIsNoFieldGetsASuggestionFromTheGlossarysLabelsAndSynonyms() {
        assertThatThrownBy(() -> load("Patient", """
                name: NOME
                mobile: CEL
                telefone_celular: CEL2
                """)).isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems())
                .extracting(MappingProblem::toString)
                .anySatisfy(p -> assertThat(p).endsWith(": Patient.mobile: no such canonical field; did you mean "
                        + "Patient.mobilePhone (the words of 'Mobile phone')?"))
                .anySatisfy(p -> assertThat(p).endsWith(": Patient.telefone_celular: 'telefone_celular' is not a field"
                        + " name (letters and digits, optionally followed by [0] or [field=VALUE]); did you mean "
                        + "Patient.mobilePhone (the words of 'Celular')?")));
    }

    @Test
    void yamlTagsCannotInstantiateClasses() throws IOException {
        Path file = dir.resolve("hostile.yaml");
        Files.writeString(file, """
                mapping: hostile
                version: 1
                source: {system: x}
                target: Room
                fields:
                  name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/x.jar"]]]]
                """);
        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(MappingException.class)
                .hasMessageContaining("hostile.yaml:6: (yaml): not valid YAML: Global tag is not allowed");
    }
}
