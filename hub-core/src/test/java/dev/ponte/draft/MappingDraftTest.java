package dev.ponte.draft;

import dev.ponte.TestGlossary;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.source.ExportSample;
import dev.ponte.validation.RecordValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A draft made from the second system's sample (examples/esthetix/visits.csv) reads the file's format right, maps
 * what it is sure of, never copies personal data, and passes {@code mapping check} after exactly the edits its TODO
 * comments ask for: four, all in the appointment draft (start, end, procedure code, and the status words the sample
 * has that are no allowed value); the edited draft then reads the sample's rows as the hand-written mapping does.
 */
class MappingDraftTest {

    static final Path VISITS = Path.of("../examples/esthetix/visits.csv");
    private static final Pattern TODO = Pattern.compile("(?m)^  # TODO (\\w+) \\([^)]*, required\\): .*?(?:e\\.g\\. (.*))?$");

    @TempDir
    static Path dir;
    private static RecordValidator validator;
    private static MappingLoader loader;
    private static ExportSample sample;

    @BeforeAll
    static void setUp() {
        validator = TestGlossary.validator();
        loader = new MappingLoader(TestGlossary.get(), validator);
        sample = ExportSample.read(VISITS, 200);
    }

    @AfterAll
    static void tearDown() {
        validator.close();
    }

    @Test
    void theSampleIsReadAsItIsWritten() {
        assertThat(sample.encoding()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(sample.bom()).isTrue();
        assertThat(sample.delimiter()).isEqualTo(',');
        assertThat(sample.header()).startsWith("visit_id", "patient_id", "patient_name");
        assertThat(sample.rows()).hasSize(11);
        assertThat(ColumnShape.of(sample.column(sample.header().indexOf("start_time"))).transforms())
                .as("12-hour times, one bad value among them").isEqualTo("[{time: \"hh:mm a\"}]");
        assertThat(ColumnShape.of(sample.column(sample.header().indexOf("amount"))).transforms())
                .isEqualTo("[{decimal: en}]");
        assertThat(ColumnShape.of(List.of("05/01/2026", "31/12/2025")).transforms()).isEqualTo("[{date: dd/MM/yyyy}]");
        assertThat(ColumnShape.of(List.of("05/01/2026", "03/02/2025")).ambiguous()).contains("MM/dd/yyyy");
        assertThat(ColumnShape.of(List.of("1.234,56", "89,90")).transforms()).isEqualTo("[{decimal: pt-BR}]");
    }

    @Test
    void thePatientDraftPassesCheckAsItIs() throws IOException {
        MappingDraft.Result patient = new MappingDraft(TestGlossary.get()).draft(sample, "visits.csv", "Patient",
                "esthetix");
        assertThat(patient.todo()).isZero();
        assertThat(patient.text()).contains("key: patient_id", "name: {from: \"patient_name\"",
                "cpf: {from: \"patient_cpf\", transforms: [digits]}", "birthDate: {from: \"birth_date\", transforms:"
                        + " [{date: yyyy-MM-dd}]}", "mobilePhone: {from: \"mobile\", transforms: [phone]}");
        assertNoPersonalData(patient.text());
        Mapping m = loader.load(write("patient.yaml", patient.text()));
        assertThat(m.target().getSimpleName()).isEqualTo("Patient");
    }

    @Test
    void theAppointmentDraftPassesCheckAfterTheEditsItsCommentsAskFor() throws IOException {
        MappingDraft.Result appointment = new MappingDraft(TestGlossary.get()).draft(sample, "visits.csv",
                "Appointment", "esthetix");
        assertNoPersonalData(appointment.text());
        // as drafted, check names exactly what the TODO lines say is missing
        Throwable refused = catchThrowable(() -> loader.load(write("appointment.yaml", appointment.text())));
        assertThat(refused).isInstanceOf(MappingException.class);
        assertThat(((MappingException) refused).problems()).extracting(MappingProblem::field)
                .containsExactlyInAnyOrder("Appointment.procedureCode", "Appointment.start", "Appointment.end");
        assertThat(appointment.todo()).isEqualTo(3);
        assertThat(appointment.text()).contains("{map: {\"no-show\": NO_SHOW, \"confirmed\": CONFIRMED}}",
                "# TODO status: sample values not mapped yet: [Completed, Booked, Canceled, Pending]",
                "CHECK, spelt close to an allowed value: Canceled → CANCELLED");
        assertThat(appointment.text().lines().filter(l -> l.contains("# TODO"))).hasSize(4);

        // the edits: the two TODOs that give an example take it; the third (no column matched) is written by hand;
        // the fourth adds the status words an admin knows (Pending is a bad row of the sample: left out)
        String edited = appointment.text().replace("{map: {\"no-show\"", "{map: {\"booked\": SCHEDULED, "
                + "\"completed\": ATTENDED, \"canceled\": CANCELLED, \"no-show\"");
        Matcher todo = TODO.matcher(appointment.text());
        int edits = 0;
        while (todo.find()) {
            String replacement = todo.group(2) != null ? "  " + todo.group(2)
                    : "  procedureCode: {from: service_code, transforms: [trim, upper]}";
            edited = edited.replace(todo.group(), replacement);
            edits++;
        }
        edits++; // the status words
        assertThat(edits).isEqualTo(4);
        assertThat(edited).contains("start: {from: [\"visit_date\", \"start_time\"]",
                "{plus-duration: {column: \"duration_min\", unit: minutes}}");
        Mapping m = loader.load(write("appointment-edited.yaml", edited));
        assertThat(m.target().getSimpleName()).isEqualTo("Appointment");
        assertThat(m.source().key()).isEqualTo("visit_id");
        // what the edited draft makes of the sample (without reference data): the bad rows of the sample, by column
        java.util.Map<String, String> rejected = new java.util.TreeMap<>();
        int accepted = 0;
        for (int r = 0; r < sample.rows().size(); r++) {
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            for (int i = 0; i < sample.header().size(); i++) {
                values.put(sample.header().get(i), sample.rows().get(r).get(i));
            }
            dev.ponte.mapping.MappedRecord result = m.apply(new dev.ponte.mapping.SourceRecord(r + 2, values),
                    validator, dev.ponte.validation.ReferenceCatalog.NONE);
            if (result.accepted()) {
                accepted++;
            } else {
                rejected.put(values.get("visit_id"), result.violations().get(0).rule() + "@"
                        + result.violations().get(0).sourceField());
            }
        }
        assertThat(rejected).containsExactly(java.util.Map.entry("V1007", "invalid-number@duration_min"),
                java.util.Map.entry("V1009", "invalid-time@start_time"),
                java.util.Map.entry("V1010", "unknown-value@status"));
        assertThat(accepted).isEqualTo(8); // V1008's patient is refused only when the hub checks references
    }

    private static void assertNoPersonalData(String text) {
        assertThat(text).doesNotContain("864.542.841-58", "86454284158", "99121-4283", "ana.souza@example.com",
                "Souza, Ana", "1985-07-14", "1990-01-30");
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
