package dev.ponte.spi;

import java.nio.file.Path;

/**
 * The hub's import counters ({@code bin/ponte status}, import reports): a source connector says which runs it
 * started and how many rows each file or table had; the hub counts the outcomes as it processes them. Thread safe;
 * each call is its own transaction. Calls are idempotent per run and file.
 *
 * @since 0.2
 */
public interface ImportTracker {

    /** A run of this instance started (first call wins; later calls for the same run do nothing). */
    void runStarted(String runId, String system);

    /**
     * All rows of a file (or a table's poll) are sent.
     *
     * @param source    file name or table, as the chunks name it
     * @param mappingId {@link SourceMapping#id()}
     * @param rows      total rows sent for it in this run
     */
    void sourceRead(String runId, String source, String mappingId, long rows);

    /**
     * Writes the report of a file to a folder if the hub already processed all its rows (else the hub writes it
     * when the last row is processed).
     *
     * @throws SourceReadException when the report cannot be written
     */
    void writeReportIfComplete(String runId, String source, Path reportDir);
}
