package dev.ponte.mappings;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.glossary.Glossary;
import dev.ponte.inbound.FolderMappingRegistry;
import dev.ponte.spi.InboundChunk;
import dev.ponte.inbound.InboundProcessor;
import dev.ponte.inbound.RowOutcome;
import dev.ponte.inbound.RowResult;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.source.ExportFiles;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.validation.RecordValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbound pipeline on the whole demo export, straight into a real H2 store (no broker). */
@Tag("store")
class LegacyClinicStoreTest {

    @TempDir
    Path dataDir;
    private Database db;
    private RecordValidator validator;
    private FolderMappingRegistry registry;
    private InboundProcessor processor;

    @BeforeEach
    void open() {
        Glossary glossary = ShippedMappings.glossary();
        validator = ShippedMappings.validator(glossary);
        db = TestStores.open(Database.embeddedUrl(dataDir), Database::open);
        registry = new FolderMappingRegistry(ShippedMappings.LEGACY_CLINIC, new MappingLoader(glossary, validator));
        processor = new InboundProcessor(db, registry, validator, ShippedMappings.CLOCK, "demo");
    }

    @AfterEach
    void close() {
        db.close();
        validator.close();
    }

    private Map<String, Map<RowOutcome, Integer>> importAll(String runId) throws Exception {
        Map<String, Map<RowOutcome, Integer>> byFile = new java.util.LinkedHashMap<>();
        for (Mapping m : registry.set().inReferenceOrder()) {
            Map<RowOutcome, Integer> counts = new EnumMap<>(RowOutcome.class);
            List<RowResult> all = new ArrayList<>();
            ExportFiles.readChunks(ShippedMappings.DEMO_EXPORT.resolve(m.source().file()), m, 100, chunk -> all.addAll(
                    processor.process(new InboundChunk("legacy", m.source().system(), m.name(), m.source().file(),
                            runId, runId, null, chunk))));
            all.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
            byFile.put(m.source().file(), counts);
        }
        return byFile;
    }

    @Test
    void importsTheExportWithMergesRepeatsAndDeadLetters() throws Exception {
        Map<String, Map<RowOutcome, Integer>> first = importAll("run-1");
        assertThat(first.get("pacientes.csv")).containsEntry(RowOutcome.CREATED, 192).containsEntry(RowOutcome.MERGED, 2)
                .containsEntry(RowOutcome.REJECTED, 8);
        assertThat(first.get("agenda.csv")).containsEntry(RowOutcome.CREATED, 960)
                .containsEntry(RowOutcome.UNCHANGED, 1).containsEntry(RowOutcome.UPDATED, 1)
                .containsEntry(RowOutcome.REJECTED, 40);
        assertThat(first.get("financeiro.csv")).containsEntry(RowOutcome.CREATED, 112);
        long events = db.inTransaction(EventOutbox::count);
        long open = db.inTransaction(c -> (long) DeadLetters.list(c, DeadLetters.Filter.OPEN).size());
        assertThat(open).isEqualTo(48);

        Map<String, Map<RowOutcome, Integer>> again = importAll("run-2");
        again.forEach((file, counts) -> assertThat(counts.keySet()).as(file)
                .isSubsetOf(RowOutcome.UNCHANGED, RowOutcome.REJECTED));
        assertThat(again.get("agenda.csv")).containsEntry(RowOutcome.UNCHANGED, 962);
        assertThat(db.inTransaction(EventOutbox::count)).isEqualTo(events);
    }

    @Test
    void aReplayedDeadLetterGoesThroughOnceFixed() throws Exception {
        importAll("run-1");
        List<DeadLetter> badPhone = db.inTransaction(c -> DeadLetters.list(c,
                new DeadLetters.Filter(null, "invalid-phone", null, DeadLetter.Status.OPEN)));
        assertThat(badPhone).singleElement().satisfies(d -> {
            assertThat(d.sourceKey()).isEqualTo("1074");
            assertThat(d.errorClass()).isEqualTo(DeadLetter.ErrorClass.VALIDATION);
        });
        RowResult stillBad = processor.replay(badPhone.get(0).id(), "tester");
        assertThat(stillBad.outcome()).isEqualTo(RowOutcome.REJECTED);
        assertThat(db.inTransaction(c -> DeadLetters.get(c, badPhone.get(0).id())).orElseThrow().attempts()).isEqualTo(2);
    }
}
