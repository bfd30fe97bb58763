package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.FileImport;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.Mappings;
import dev.ponte.spi.SourceMapping;
import dev.ponte.spi.SourceReadException;

import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Reads one export file with its mapping and sends its rows, in chunks, to the hub's inbound queue. Memory holds one
 * chunk at a time, whatever the file size. Used by the inbox route and, as the instance's {@link FileImport}, by
 * {@code bin/ponte import}.
 */
final class CsvFileEnqueuer implements FileImport {

    private final ConnectorContext ctx;
    private final int chunkSize;

    CsvFileEnqueuer(ConnectorContext ctx, int chunkSize) {
        this.ctx = ctx;
        this.chunkSize = chunkSize;
    }

    /** The mapping that reads a file, by its name. */
    static SourceMapping mappingFor(Path file, Mappings mappings) {
        return mappings.forFile(file.getFileName().toString()).orElseThrow(() -> new SourceReadException(file
                + ": no mapping reads this file name (patterns: " + mappings.inReferenceOrder().stream()
                .map(SourceMapping::file).toList() + "); rename the file or add a mapping"));
    }

    @Override
    public boolean reads(String fileName) {
        return ctx.mappings().forFile(fileName).isPresent();
    }

    @Override
    public long importFile(Path file, String runId, Path reportDir, LongConsumer progress) {
        return enqueue(file, mappingFor(file, ctx.mappings()), runId, reportDir, progress);
    }

    /**
     * Enqueues every row of a file under an import run.
     *
     * @param reportDir where the hub writes the file's report once processed, or {@code null}
     * @param progress  receives the number of rows sent so far, after each chunk
     * @return the number of rows
     * @throws SourceReadException when the file cannot be read with its mapping
     */
    long enqueue(Path file, SourceMapping mapping, String runId, Path reportDir, LongConsumer progress) {
        String name = file.getFileName().toString();
        String system = mapping.system();
        ctx.imports().runStarted(runId, system);
        long[] sent = {0};
        long rows;
        try {
            rows = ctx.mappings().read(file, mapping, chunkSize, chunk -> {
                ctx.inbound().send(new InboundChunk(ctx.instance(), system, mapping.name(), name, runId, runId,
                        reportDir == null ? null : reportDir.toString(), chunk));
                sent[0] += chunk.size();
                progress.accept(sent[0]);
            });
        } catch (SourceReadException e) {
            throw e;
        } catch (Exception e) {
            throw new SourceReadException(file + ": import stopped after " + sent[0] + " rows: " + e.getMessage(), e);
        }
        ctx.imports().sourceRead(runId, name, mapping.id(), rows);
        if (reportDir != null) {
            ctx.imports().writeReportIfComplete(runId, name, reportDir);
        }
        return rows;
    }
}
