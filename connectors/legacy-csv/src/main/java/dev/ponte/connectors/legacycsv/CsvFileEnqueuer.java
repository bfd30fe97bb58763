package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.FileImport;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.Mappings;
import dev.ponte.spi.SourceMapping;
import dev.ponte.spi.SourceReadException;

import java.nio.file.Path;
import java.util.List;
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

    /**
     * The mappings that read a file, by its name, in reference order.
     *
     * @throws SourceReadException when none does, or when two read it as the same entity
     */
    static List<SourceMapping> mappingsFor(Path file, Mappings mappings) {
        List<SourceMapping> out = mappings.forFile(file.getFileName().toString());
        if (out.isEmpty()) {
            throw new SourceReadException(file + ": no mapping reads this file name (patterns: "
                    + mappings.inReferenceOrder().stream().map(SourceMapping::file).toList()
                    + "); rename the file or add a mapping");
        }
        return out;
    }

    @Override
    public boolean reads(String fileName) {
        try {
            return !ctx.mappings().forFile(fileName).isEmpty();
        } catch (SourceReadException ambiguous) {
            return true; // importing it reports why it cannot be read
        }
    }

    @Override
    public long importFile(Path file, SourceMapping mapping, String runId, Path reportDir, LongConsumer progress) {
        return enqueue(file, mapping, runId, reportDir, progress);
    }

    /**
     * Enqueues every row of a file, as one of its mappings reads it, under an import run. The rows are counted under
     * {@link Mappings#sourceName}: the file name, or {@code file#Entity} when several mappings read the file.
     *
     * @param reportDir where the hub writes the file's report once processed, or {@code null}
     * @param progress  receives the number of rows sent so far, after each chunk
     * @return the number of rows
     * @throws SourceReadException when the file cannot be read with its mapping
     */
    long enqueue(Path file, SourceMapping mapping, String runId, Path reportDir, LongConsumer progress) {
        String name = ctx.mappings().sourceName(file.getFileName().toString(), mapping);
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
