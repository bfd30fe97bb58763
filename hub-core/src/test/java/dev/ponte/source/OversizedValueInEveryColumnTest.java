package dev.ponte.source;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ponte.TestGlossary;
import dev.ponte.inbound.FolderMappingRegistry;
import dev.ponte.spi.InboundChunk;
import dev.ponte.inbound.InboundProcessor;
import dev.ponte.inbound.LegacyRows;
import dev.ponte.inbound.RowOutcome;
import dev.ponte.inbound.RowResult;
import dev.ponte.mapping.Mapping;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.Rules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad-input corpus, generated case: a value of 2 MB (over the 1 MiB row limit) in each column position of each
 * shipped legacy-clinic mapping's file, between two good rows, through the inbound pipeline and a real store. Each
 * time both good rows are stored and the bad one is a single {@code row-too-long} dead letter whose key fits its
 * column (cut with a marker when the oversized value is the key itself).
 */
@Tag("store")
class OversizedValueInEveryColumnTest {

    private static final int TWO_MB = 2 << 20;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;
    private Database db;
    private RecordValidator validator;
    private FolderMappingRegistry mappings;
    private InboundProcessor processor;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir.resolve("db")), Database::open);
        validator = new RecordValidator(TestGlossary.get(), Clock.systemUTC());
        mappings = LegacyRows.mappings(validator);
        processor = new InboundProcessor(db, mappings, validator, Clock.systemUTC(), "test");
    }

    @AfterEach
    void close() {
        validator.close();
        db.close();
    }

    /** The input of the mapping's first example that is accepted: a good row in the legacy system's shape. */
    private static Map<String, String> goodExample(Path yaml) throws IOException {
        for (JsonNode example : YAML.readTree(yaml.toFile()).get("examples")) {
            if (example.has("expect")) {
                return YAML.convertValue(example.get("input"), YAML.getTypeFactory().constructMapType(Map.class,
                        String.class, String.class));
            }
        }
        throw new AssertionError(yaml + " has no accepted example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"agenda", "financeiro", "pacientes", "pacotes", "procedimentos", "profissionais"})
    void aTwoMegabyteValueInAnyColumnCostsOnlyItsRow(String file) throws Exception {
        Map<String, String> example = goodExample(LegacyRows.MAPPINGS.resolve(file + ".yaml"));
        Mapping mapping = mappings.mapping("legacy-clinic/" + file).orElseThrow();
        List<String> header = new ArrayList<>(mapping.columns());
        String keyColumn = mapping.source().key();
        String entity = mapping.target().getSimpleName();
        int keyAt = header.indexOf(keyColumn);
        assertThat(keyAt).as("key column of %s", file).isNotNegative();

        for (int column = 0; column < header.size(); column++) {
            List<String> keys = List.of(String.valueOf(90_000 + 3 * column), String.valueOf(90_001 + 3 * column),
                    String.valueOf(90_002 + 3 * column));
            List<List<String>> rows = new ArrayList<>();
            for (String key : keys) {
                rows.add(header.stream().map(h -> h.equals(keyColumn) ? key : example.getOrDefault(h, "")).toList());
            }
            Path csv = dir.resolve(file + ".csv");
            LegacyRows.write(csv, header, rows, 1, column, TWO_MB);
            int lettersBefore = openLetters().size();

            List<RowResult> results = new ArrayList<>();
            ExportFiles.readChunks(csv, mapping, 500, chunk -> results.addAll(processor.process(new InboundChunk(
                    "legacy", "legacy-clinic", mapping.name(), file + ".csv", null, "corr", null, chunk))));

            String where = file + ", 2 MB in " + header.get(column);
            assertThat(results).as(where).hasSize(3);
            assertThat(results.get(0).outcome()).as(where).isNotEqualTo(RowOutcome.REJECTED);
            assertThat(results.get(2).outcome()).as(where).isNotEqualTo(RowOutcome.REJECTED);
            for (String key : List.of(keys.get(0), keys.get(2))) {
                java.util.Optional<CanonicalStore.Xref> xref = db.inTransaction(c -> CanonicalStore.xref(c,
                        "legacy-clinic", entity, key));
                assertThat(xref).as("%s: row %s stored", where, key).isPresent();
            }
            List<DeadLetter> letters = openLetters();
            assertThat(letters).as(where).hasSize(lettersBefore + 1);
            DeadLetter bad = letters.get(letters.size() - 1);
            assertThat(bad.rules()).as(where).containsExactly(Rules.ROW_TOO_LONG);
            assertThat(bad.sourceLine()).as(where).isEqualTo(3L);
            assertThat(bad.sourceKey()).as(where).hasSizeLessThanOrEqualTo(200);
            if (column == keyAt) {
                assertThat(bad.sourceKey()).as(where).startsWith("xxx").endsWith(" chars]");
            } else {
                assertThat(bad.sourceKey()).as(where).isEqualTo(keys.get(1));
            }
            Files.delete(csv);
        }
    }

    private List<DeadLetter> openLetters() {
        return db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
    }
}
