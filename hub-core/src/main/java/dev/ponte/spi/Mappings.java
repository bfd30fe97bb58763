package dev.ponte.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** The mapping whose file pattern matches a file name, if any. */
    Optional<SourceMapping> forFile(String fileName);

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
