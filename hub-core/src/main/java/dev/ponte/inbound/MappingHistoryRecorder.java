package dev.ponte.inbound;

import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.mapping.MappingSet;
import dev.ponte.store.Database;
import dev.ponte.store.MappingHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Keeps the mapping history ({@link MappingHistory}) of the folders the hub loads: each accepted version once, and
 * each refused change. A history that cannot be written is logged, never a reason to stop using a mapping.
 */
public final class MappingHistoryRecorder implements MappingChanges {

    private static final Logger LOG = LoggerFactory.getLogger(MappingHistoryRecorder.class);

    private final Database db;
    private final Clock clock;
    private final String by;

    /** @param by who loads the mappings, as recorded (the operating-system user of the hub's process) */
    public MappingHistoryRecorder(Database db, Clock clock, String by) {
        this.db = db;
        this.clock = clock;
        this.by = by;
    }

    @Override
    public void accepted(Path folder, MappingSet set) {
        try {
            db.inTransaction(c -> {
                for (Mapping m : set.inReferenceOrder()) {
                    if (MappingHistory.accepted(c, folder.toString(), set.fileOf(m).map(Path::toString).orElse(null),
                            m, by, clock.instant())) {
                        LOG.info("mapping {} ({}) recorded in the mapping history", m.id(), m.contentHash()
                                .substring(0, 12));
                    }
                }
                MappingHistory.acceptedFolder(c, folder.toString(), by, clock.instant());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("the mapping history of {} could not be written ({}); the mappings are in force all the same",
                    folder, e.getMessage());
        }
    }

    @Override
    public void refused(Path folder, List<MappingProblem> problems) {
        try {
            db.inTransaction(c -> {
                MappingHistory.refused(c, folder.toString(), problems, by, clock.instant());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("the refusal of a change in {} could not be recorded ({})", folder, e.getMessage());
        }
    }
}
