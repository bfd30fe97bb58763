package dev.ponte.source;

import dev.ponte.spi.RawRecord;
import dev.ponte.mapping.MappedRecord;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingSet;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import dev.ponte.validation.ReferenceSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Maps and validates whole export files, streaming. */
public final class ExportFiles {

    private ExportFiles() {
    }

    /**
     * The outcome of every row of a file, lazily; close the stream to close the file.
     *
     * @throws SourceException when the file cannot be opened or its header lacks the mapping's columns
     */
    public static Stream<MappedRecord> map(Path file, Mapping mapping, RecordValidator validator,
                                           ReferenceCatalog catalog) {
        CsvSource source = CsvSource.open(file, mapping.source(), mapping.columns());
        String keyColumn = mapping.source().key();
        Iterator<MappedRecord> outcomes = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public MappedRecord next() {
                CsvSource.Row row = source.next();
                if (row.problem() != null) {
                    String key = keyColumn == null ? null : row.record().get(keyColumn);
                    return MappedRecord.rejected(row.record().line(), key, List.of(row.problem()));
                }
                return mapping.apply(row.record(), validator, catalog);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(outcomes, Spliterator.ORDERED), false)
                .onClose(source::close);
    }

    /** Receives chunks of raw records; may throw to stop reading. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(List<RawRecord> chunk) throws Exception;
    }

    /**
     * Reads a file as chunks of at most {@code chunkSize} raw records (malformed rows included, with their problem),
     * streaming: memory holds one chunk at a time.
     *
     * @return the number of rows read
     * @throws SourceException when the file cannot be opened or read
     */
    public static long readChunks(Path file, Mapping mapping, int chunkSize, ChunkSink sink) throws Exception {
        long rows = 0;
        try (CsvSource source = CsvSource.open(file, mapping.source(), mapping.columns())) {
            List<RawRecord> chunk = new ArrayList<>(chunkSize);
            while (source.hasNext()) {
                CsvSource.Row row = source.next();
                chunk.add(new RawRecord(row.record().line(), row.record().values(), readProblem(row.problem())));
                rows++;
                if (chunk.size() == chunkSize) {
                    sink.accept(chunk);
                    chunk = new ArrayList<>(chunkSize);
                }
            }
            if (!chunk.isEmpty()) {
                sink.accept(chunk);
            }
        }
        return rows;
    }

    /**
     * Builds the reference data found in an export folder: every file some mapping of the set reads, in reference
     * order, each accepted record added under its source key (procedures under their code). Files missing from the
     * folder are skipped, and their entity types are then not held (so not checked).
     *
     * @param stopBefore stop at this mapping (the one being previewed): only the entities it may refer to are read;
     *                   {@code null} reads every file
     */
    public static ReferenceSet references(Path folder, MappingSet mappings, RecordValidator validator,
                                          Mapping stopBefore) {
        ReferenceSet refs = new ReferenceSet();
        for (Mapping m : mappings.inReferenceOrder()) {
            if (m == stopBefore || m.name().equals(stopBefore == null ? null : stopBefore.name())) {
                break;
            }
            if (m.source().file() == null) {
                continue;
            }
            Path file = folder.resolve(m.source().file());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            refs.hold(m.target());
            try (Stream<MappedRecord> records = map(file, m, validator, refs)) {
                records.filter(MappedRecord::accepted).filter(r -> r.sourceKey() != null)
                        .forEach(r -> refs.add(m.target(), r.sourceKey(), r.entity()));
            }
        }
        return refs;
    }

    /** The SPI's form of a read problem (a connector sees no hub validation types). */
    static RawRecord.ReadProblem readProblem(dev.ponte.validation.Violation v) {
        return v == null ? null : new RawRecord.ReadProblem(v.rule(), v.sourceField(), v.value(), v.args());
    }
}
