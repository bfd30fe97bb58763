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
        try {
            fileRead(runId, source, mappingId, rows);
        } catch (StoreException e) {
            // the hub's consumer created the file's counter row at the same moment (ImportRuns' insert-if-absent is
            // not atomic): the row exists now, so once more succeeds
            if (!(e.getCause() instanceof java.sql.SQLException s && s.getSQLState() != null
                    && s.getSQLState().startsWith("23"))) {
                throw e;
            }
            fileRead(runId, source, mappingId, rows);
        }
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
