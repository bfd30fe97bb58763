package dev.ponte.inbound;

import org.junit.jupiter.api.Tag;
import dev.ponte.source.ExportFiles;
import dev.ponte.spi.InboundChunk;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.Rules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk is one transaction, but one row the store cannot take (a value too long for a column) must not roll back
 * the good rows around it: they commit and the bad row is a dead letter with its reason.
 */
@Tag("store")
class OneBadRowCostsOnlyItselfTest {

    private static final String MAPPING = "legacy-clinic/pacientes";

    @TempDir
    Path dir;
    private LegacyImport store;
    private Database db;
    private RecordValidator validator;
    private InboundProcessor processor;

    @BeforeEach
    void open() {
        store = new LegacyImport(dir);
        db = store.db;
        validator = store.validator;
        processor = store.processor;
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Reads a patients file as the hub does, in chunks of 501, and processes every chunk. */
    private List<RowResult> importPatients(List<List<String>> rows, int hugeRow, int hugeColumn) throws Exception {
        Path file = dir.resolve("pacientes.csv");
        LegacyRows.write(file, LegacyRows.PATIENT_COLUMNS, rows, hugeRow, hugeColumn, 2 << 20);
        List<RowResult> results = new ArrayList<>();
        ExportFiles.readChunks(file, LegacyRows.mappings(validator).mapping(MAPPING).orElseThrow(), 501,
                chunk -> results.addAll(processor.process(new InboundChunk("legacy", "legacy-clinic", MAPPING,
                        "pacientes.csv", null, "corr-1", null, chunk))));
        return results;
    }

    private boolean stored(String code) {
        return db.inTransaction(c -> CanonicalStore.xref(c, "legacy-clinic", "Patient", code)).isPresent();
    }

    @Test
    void aTwoMegabyteValueAtTheEndOfARowCostsOnlyThatRowOfItsChunk() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            rows.add(LegacyRows.patient(1000 + i));
        }
        int bad = 500;
        List<RowResult> results = importPatients(rows, bad, LegacyRows.PATIENT_COLUMNS.size() - 1);

        assertThat(results).hasSize(501);
        assertThat(results.subList(0, 500)).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(RowOutcome.CREATED));
        assertThat(stored("1000")).isTrue();
        assertThat(stored("1499")).isTrue();
        List<DeadLetter> letters = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.rules()).containsExactly(Rules.ROW_TOO_LONG);
            assertThat(d.sourceKey()).isEqualTo("1500");
            assertThat(d.sourceLine()).isEqualTo(502L);
            assertThat(d.sourceFile()).isEqualTo("pacientes.csv");
        });
    }

    @Test
    void aTwoMegabyteKeyIsStoredCutInItsDeadLetterAndTheChunkCommits() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(LegacyRows.patient(2000 + i));
        }
        List<RowResult> results = importPatients(rows, 10, 0);

        assertThat(results).filteredOn(r -> r.outcome() == RowOutcome.CREATED).hasSize(19);
        assertThat(stored("2019")).isTrue();
        DeadLetter d = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).get(0);
        assertThat(d.rules()).containsExactly(Rules.ROW_TOO_LONG);
        assertThat(d.sourceKey()).hasSizeLessThanOrEqualTo(200).startsWith("xxx").contains("…[cut, ");
    }

    @Test
    void aRowTheStoreRefusesIsRolledBackAloneAndBecomesADeadLetterWithTheReason() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(LegacyRows.patient(3000 + i));
        }
        List<String> longKey = new ArrayList<>(LegacyRows.patient(3020));
        longKey.set(0, "3".repeat(300)); // under the row limit, but too long for a cross-reference's source id
        rows.add(10, longKey);
        List<RowResult> results = importPatients(rows, -1, -1);

        assertThat(results).filteredOn(r -> r.outcome() == RowOutcome.CREATED).hasSize(20);
        assertThat(results.get(10).outcome()).isEqualTo(RowOutcome.REJECTED);
        assertThat(stored("3000")).isTrue();
        assertThat(stored("3019")).isTrue();
        DeadLetter d = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).get(0);
        assertThat(d.rules()).containsExactly(Rules.STORE_REFUSED);
        assertThat(d.violations()).contains("SQLState 22001").doesNotContain("3333333333");
        assertThat(d.sourceKey()).hasSize(200).endsWith("…[cut, 300 chars]");
        assertThat(d.payload()).contains("3".repeat(300)); // kept whole, for a replay once the source is fixed
        // the refused row left nothing behind: no patient, no event
        long events = db.inTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("select count(*) from event")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(events).isEqualTo(20);
    }
}
