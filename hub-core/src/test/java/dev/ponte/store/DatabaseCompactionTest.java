package dev.ponte.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database left with old page copies (what a bulk import leaves) is compacted at the hub's stop when it
 * is worth it and there is time, and keeps every row.
 */
class DatabaseCompactionTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("db").resolve("ponte.mv.db");
    }

    /** Writes and rewrites rows in many small commits, as an import does: a file mostly of old copies. */
    private Database withGarbage() {
        Database db = Database.open(Database.embeddedUrl(dir), null, null);
        for (int round = 0; round < 40; round++) {
            int r = round;
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("merge into connector_state (connector, state_key,"
                        + " state_value) key (connector, state_key) values ('test', ?, ?)")) {
                    for (int i = 0; i < 200; i++) {
                        ps.setString(1, "key-" + i);
                        ps.setString(2, ("round " + r + " ").repeat(40));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
        return db;
    }

    private static long rows(Database db) {
        return db.read(c -> Sql.first(c, "select count(*) from connector_state where connector = 'test'")
                .map(Long::parseLong).orElseThrow());
    }

    @Test
    void aFileMostlyOfOldCopiesIsCompactedAtCloseAndKeepsEveryRow() throws Exception {
        Database db = withGarbage();
        long before = Files.size(file());
        Optional<Database.Compaction> done = db.closeCompacting(0, 100, Long.MAX_VALUE);

        assertThat(done).as("compacted").isPresent();
        assertThat(done.get().bytesBefore()).isGreaterThanOrEqualTo(before);
        assertThat(done.get().bytesAfter()).isEqualTo(Files.size(file())).isLessThan(done.get().bytesBefore());
        Database again = Database.open(Database.embeddedUrl(dir), null, null);
        try {
            assertThat(rows(again)).isEqualTo(200);
        } finally {
            again.close();
        }
    }

    @Test
    void aSmallFileOrAStopWithoutTheTimeIsOnlyClosed() throws Exception {
        Database db = withGarbage();
        assertThat(db.closeCompacting(1L << 40, 100, Long.MAX_VALUE)).as("smaller than the least worth it").isEmpty();
        Database again = Database.open(Database.embeddedUrl(dir), null, null);
        assertThat(again.closeCompacting(0, 100, 0)).as("no time left").isEmpty();
        Database third = Database.open(Database.embeddedUrl(dir), null, null);
        try {
            assertThat(rows(third)).isEqualTo(200);
        } finally {
            third.close();
        }
    }

    @Test
    void aFileThatGrewSinceItWasOpenedIsCompactedWhateverH2EstimatesAndOneThatDidNotIsLeft() {
        Database db = withGarbage(); // opened empty (migrations only), then grown by the writes
        assertThat(db.closeCompacting(0, 0, Long.MAX_VALUE)).as("grown since opened").isPresent();

        Database again = Database.open(Database.embeddedUrl(dir), null, null);
        assertThat(rows(again)).isEqualTo(200);
        assertThat(again.closeCompacting(0, 0, Long.MAX_VALUE)).as("read only: not grown").isEmpty();
    }
}
