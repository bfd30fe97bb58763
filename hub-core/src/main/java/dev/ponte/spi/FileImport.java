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
     * Sends every row of a file under an import run.
     *
     * @param runId     the run; the instance registers it with the {@link ImportTracker}
     * @param reportDir where the file's report goes once processed, or {@code null} for none
     * @param progress  receives the number of rows sent so far, after each chunk
     * @return the number of rows
     * @throws SourceReadException when the file cannot be read (nothing, or only part of it, was sent)
     */
    long importFile(Path file, String runId, Path reportDir, LongConsumer progress);
}
