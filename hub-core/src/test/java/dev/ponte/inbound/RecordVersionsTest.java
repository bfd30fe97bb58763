package dev.ponte.inbound;

import org.junit.jupiter.api.Tag;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.RawRecord;
import dev.ponte.store.EventOutbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions of one source record: each new content is a change with its event; a content taken in before (a redelivered
 * chunk, a re-imported file, a record going back to an earlier content) is UNCHANGED and writes nothing. The earlier
 * contents are found through the record's own events (by subject), not an index of every dedupe key.
 */
@Tag("store")
class RecordVersionsTest {

    private static final String MAPPING = "legacy-clinic/pacientes";

    @TempDir
    Path dir;
    private LegacyImport store;

    @BeforeEach
    void open() {
        store = new LegacyImport(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static RawRecord patient(long line, String email) {
        List<String> values = new ArrayList<>(LegacyRows.patient(1000));
        values.set(LegacyRows.PATIENT_COLUMNS.indexOf("EMAIL"), email);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            row.put(LegacyRows.PATIENT_COLUMNS.get(i), values.get(i));
        }
        return new RawRecord(line, row, null);
    }

    private List<RowOutcome> process(List<RawRecord> rows) {
        return store.processor.process(new InboundChunk("legacy", "legacy-clinic", MAPPING, "pacientes.csv", null, "corr-1",
                null, rows)).stream().map(RowResult::outcome).toList();
    }

    private long events() {
        return store.db.inTransaction(EventOutbox::count);
    }

    @Test
    void aRecordGoingBackToAnEarlierContentIsUnchangedAndARedeliveredChunkChangesNothing() {
        List<RawRecord> chunk = List.of(patient(2, "a@exemplo.com.br"), patient(3, "b@exemplo.com.br"),
                patient(4, "a@exemplo.com.br"));

        assertThat(process(chunk)).containsExactly(RowOutcome.CREATED, RowOutcome.UPDATED, RowOutcome.UNCHANGED);
        assertThat(events()).as("one event per new content").isEqualTo(2);

        assertThat(process(chunk)).as("the same chunk delivered again")
                .containsExactly(RowOutcome.UNCHANGED, RowOutcome.UNCHANGED, RowOutcome.UNCHANGED);
        assertThat(process(List.of(patient(5, "c@exemplo.com.br")))).containsExactly(RowOutcome.UPDATED);
        assertThat(events()).isEqualTo(3);
    }
}
