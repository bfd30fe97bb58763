package dev.ponte.spi;

import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * An optional capability of a source instance ({@link ConnectorInstance#fileImport()}): read one file now, outside
 * its routes, for {@code bin/ponte import}. The rows go to the hub exactly as the instance's own routes send them.
 *
 * @since 0.2
 */
public interface FileImport {

    /** Whether one of the instance's mappings reads this file name. */
    boolean reads(String fileName);

    /**
     * Sends every row of a file, as one of its mappings reads it ({@link Mappings#forFile}), under an import run. A
     * file several mappings read is imported once per mapping, in the order {@link Mappings#inReferenceOrder} gives.
     *
     * @param mapping   one of the mappings that read the file (since 0.5)
     * @param runId     the run; the instance registers it with the {@link ImportTracker}
     * @param reportDir where the file's report goes once processed, or {@code null} for none
     * @param progress  receives the number of rows sent so far, after each chunk
     * @return the number of rows
     * @throws SourceReadException when the file cannot be read (nothing, or only part of it, was sent)
     */
    long importFile(Path file, SourceMapping mapping, String runId, Path reportDir, LongConsumer progress);
}
