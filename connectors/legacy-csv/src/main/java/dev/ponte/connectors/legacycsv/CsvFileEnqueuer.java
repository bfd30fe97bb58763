package dev.ponte.connectors.legacycsv;

import dev.ponte.inbound.InboundChunk;
import dev.ponte.json.Json;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingSet;
import dev.ponte.source.ExportFiles;
import dev.ponte.source.SourceException;
import dev.ponte.store.Database;
import dev.ponte.store.ImportReport;
import dev.ponte.store.ImportRuns;
import org.apache.camel.ProducerTemplate;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * Reads one export file with its mapping and sends its rows, in chunks, to the hub's inbound queue. Memory holds one
 * chunk at a time, whatever the file size. Used by the inbox route and by {@code bin/ponte import}.
 */
public final class CsvFileEnqueuer {

    private final ProducerTemplate producer;
    private final Database database;
    private final String connector;
    private final String inboundUri;
    private final int chunkSize;

    public CsvFileEnqueuer(ProducerTemplate producer, Database database, String connector, String inboundUri,
                           int chunkSize) {
        this.producer = producer;
        this.database = database;
        this.connector = connector;
        this.inboundUri = inboundUri;
        this.chunkSize = chunkSize;
    }

    /** The mapping that reads a file, by its name. */
    public static Mapping mappingFor(Path file, MappingSet mappings) {
        return mappings.forFile(file.getFileName().toString()).orElseThrow(() -> new SourceException(file
                + ": no mapping reads this file name (patterns: " + mappings.inReferenceOrder().stream()
                .map(m -> m.source().file()).toList() + "); rename the file or add a mapping"));
    }

    /**
     * Enqueues every row of a file under an import run.
     *
     * @param reportDir where the hub writes the file's report once processed, or {@code null}
     * @param progress  receives the number of rows sent so far, after each chunk
     * @return the number of rows
     * @throws SourceException when the file cannot be read with its mapping
     */
    public long enqueue(Path file, Mapping mapping, String runId, Path reportDir, LongConsumer progress) {
        String name = file.getFileName().toString();
        String system = mapping.source().system();
        database.inTransaction(c -> {
            ImportRuns.start(c, runId, connector, system, Instant.now());
            return null;
        });
        long[] sent = {0};
        long rows;
        try {
            rows = ExportFiles.readChunks(file, mapping, chunkSize, chunk -> {
                InboundChunk message = new InboundChunk(connector, system, mapping.name(), name, runId, runId,
                        reportDir == null ? null : reportDir.toString(), chunk);
                producer.sendBodyAndHeader(inboundUri, Json.MAPPER.writeValueAsString(message), "JMSCorrelationID",
                        runId);
                sent[0] += chunk.size();
                progress.accept(sent[0]);
            });
        } catch (SourceException e) {
            throw e;
        } catch (Exception e) {
            throw new SourceException(file + ": import stopped after " + sent[0] + " rows: " + e.getMessage(), e);
        }
        database.inTransaction(c -> {
            ImportRuns.fileRead(c, runId, name, mapping.id(), rows);
            return null;
        });
        if (reportDir != null) {
            try {
                ImportReport.writeIfComplete(database, runId, name, reportDir);
            } catch (java.io.IOException e) {
                throw new SourceException(file + ": imported, but its report cannot be written to " + reportDir
                        + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }
}
