package dev.ponte.store;

import dev.ponte.spi.ImportTracker;
import dev.ponte.spi.SourceReadException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** {@link ImportTracker} of one instance over {@link ImportRuns} and {@link ImportReport}. */
public final class StoreImportTracker implements ImportTracker {

    private final Database db;
    private final String instance;
    private final Clock clock;

    public StoreImportTracker(Database db, String instance, Clock clock) {
        this.db = db;
        this.instance = instance;
        this.clock = clock;
    }

    @Override
    public void runStarted(String runId, String system) {
        db.inTransaction(c -> {
            ImportRuns.start(c, runId, instance, system, clock.instant());
            return null;
        });
    }

    @Override
    public void sourceRead(String runId, String source, String mappingId, long rows) {
        fileRead(runId, source, mappingId, rows); // ImportRuns creates the file's row atomically (on conflict)
    }

    private void fileRead(String runId, String source, String mappingId, long rows) {
        db.inTransaction(c -> {
            ImportRuns.fileRead(c, runId, source, mappingId, rows);
            return null;
        });
    }

    @Override
    public void writeReportIfComplete(String runId, String source, Path reportDir) {
        try {
            ImportReport.writeIfComplete(db, runId, source, reportDir);
        } catch (IOException e) {
            throw new SourceReadException(source + ": imported, but its report cannot be written to " + reportDir
                    + ": " + e.getMessage(), e);
        }
    }
}
