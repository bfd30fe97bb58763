package dev.ponte.spi;

import java.util.List;

/**
 * A batch of raw records from one source file or poll, processed in one transaction. Batching keeps a large import
 * fast (one broker message and one commit per chunk instead of per row) without giving up per-row outcomes: a bad
 * row becomes a dead letter and the rest of the chunk still goes through.
 *
 * @param connector     connector instance that read the records
 * @param system        source system ({@code legacy-clinic})
 * @param mapping       name of the mapping to apply (its current version is used)
 * @param file          source file or table, for reports
 * @param runId         import run the chunk belongs to
 * @param correlationId id shared by everything this import causes
 * @param reportDir     folder where the file's report is written once all its rows are processed, or {@code null}
 * @param rows          the records
 *
 * @since 0.1 (in dev.ponte.spi since 0.2)
 */
public record InboundChunk(String connector, String system, String mapping, String file, String runId,
                           String correlationId, String reportDir, List<RawRecord> rows) {
}
