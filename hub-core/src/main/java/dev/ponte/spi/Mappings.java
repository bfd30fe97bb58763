package dev.ponte.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * The mappings of one source instance (its {@code mappings} folder), as the connector may see them: which mapping
 * reads which file or table, in reference order, and the hub's readers of delimited and fixed-width files. The
 * folder may be reloaded while the hub runs: every call sees the current set. Thread safe.
 *
 * @since 0.2
 */
public interface Mappings {

    /** Receives the records of a file, one chunk at a time. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(List<RawRecord> chunk) throws Exception;
    }

    /**
     * The mappings whose file pattern matches a file name, in reference order: none, one, or several when one
     * export row carries several entities (a patient and an appointment). A connector sends a file's rows once per
     * mapping, in this order, so that each entity's rows are stored before the rows that refer to them.
     *
     * @since 0.2 (a list since 0.5)
     */
    List<SourceMapping> forFile(String fileName);

    /**
     * The name under which a file's rows, as read by one of its mappings, are counted, reported and kept as dead
     * letters: the file name when only that mapping reads it, else {@code file#Entity} ({@code visitas.csv#Patient}),
     * so that every entity of a file has its own counters. Give it as {@link InboundChunk#file()} and to the
     * {@link ImportTracker}.
     *
     * @since 0.5
     */
    default String sourceName(String fileName, SourceMapping mapping) {
        return forFile(fileName).size() > 1 ? fileName + "#" + mapping.entity() : fileName;
    }

    /** Every mapping, referenced entities first (procedures and patients before appointments). */
    List<SourceMapping> inReferenceOrder();

    /** Where the mappings are, for messages. */
    Path folder();

    /**
     * Reads a file with a mapping's source options (encoding, delimiter, header, fixed widths), handing its records
     * in chunks; memory holds one chunk at a time, whatever the file size. A malformed row becomes a record with a
     * {@link RawRecord#readProblem()}, not an exception.
     *
     * @return the number of records
     * @throws SourceReadException when the file as a whole cannot be read
     * @throws Exception           what the consumer threw
     */
    long read(Path file, SourceMapping mapping, int chunkSize, ChunkConsumer consumer) throws Exception;
}
