package dev.ponte.store;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox as the publisher reads it: oldest first, and through its index, whatever the backlog. */
@Tag("store")
class EventOutboxTest {

    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static CanonicalEvent event(int n) {
        return event(n, Instant.EPOCH);
    }

    private static CanonicalEvent event(int n, Instant time) {
        return new CanonicalEvent(Ids.newId(), "test", "patient.upserted", "p" + n, time, "clinic", null,
                null, null, "{\"n\":" + n + "}");
    }

    @Test
    void retentionDeletesOnlyPublishedEventsOlderThanItsLimitAndInBatches() {
        Instant cutoff = Instant.parse("2026-11-01T00:00:00Z");
        List<CanonicalEvent> events = List.of(event(1, cutoff.minusSeconds(86_400)), event(2, cutoff.minusSeconds(60)),
                event(3, cutoff.minusSeconds(30)), event(4, cutoff.plusSeconds(60)));
        db.inTransaction(c -> {
            for (CanonicalEvent e : events) {
                EventOutbox.append(c, e, "key-" + e.subject());
            }
            // 1, 2 and 4 published; 3 is old but not yet published
            EventOutbox.markPublished(c, List.of(events.get(0).id(), events.get(1).id(), events.get(3).id()));
            return null;
        });

        assertThat(db.<Integer>inTransaction(c -> EventOutbox.purgePublished(c, cutoff, 1))).isEqualTo(1);
        assertThat(db.<Integer>inTransaction(c -> EventOutbox.purgePublished(c, cutoff, 10))).isEqualTo(1);
        assertThat(db.<Integer>inTransaction(c -> EventOutbox.purgePublished(c, cutoff, 10))).isZero();

        assertThat(db.<Boolean>read(c -> EventOutbox.seen(c, "p1", "key-p1"))).isFalse();
        assertThat(db.<Boolean>read(c -> EventOutbox.seen(c, "p2", "key-p2"))).isFalse();
        assertThat(db.<Boolean>read(c -> EventOutbox.seen(c, "p4", "key-p4"))).as("newer than the limit").isTrue();
        assertThat(db.<List<CanonicalEvent>>read(c -> EventOutbox.unpublished(c, 10))).extracting(CanonicalEvent::id)
                .as("never published: kept whatever its age").containsExactly(events.get(2).id());
    }

    @Test
    void unpublishedEventsComeOldestFirstAndPublishedOnesNeverAgain() {
        List<String> ids = new ArrayList<>();
        db.inTransaction(c -> {
            for (int i = 0; i < 5; i++) {
                CanonicalEvent e = event(i);
                ids.add(e.id());
                EventOutbox.append(c, e, "key-" + i);
            }
            return null;
        });
        assertThat(db.<List<CanonicalEvent>>read(c -> EventOutbox.unpublished(c, 2))).extracting(CanonicalEvent::id)
                .containsExactly(ids.get(0), ids.get(1));
        db.inTransaction(c -> {
            EventOutbox.markPublished(c, ids.subList(0, 3));
            return null;
        });
        assertThat(db.<List<CanonicalEvent>>read(c -> EventOutbox.unpublished(c, 10))).extracting(CanonicalEvent::id)
                .containsExactly(ids.get(3), ids.get(4));
        assertThat(db.<Boolean>read(c -> EventOutbox.seen(c, "p1", "key-1"))).isTrue();
        assertThat(db.<Boolean>read(c -> EventOutbox.seen(c, "p2", "key-1"))).as("another record's key").isFalse();
    }

    /**
     * H2 reads the first rows of the index {@code event_unpublished} instead of sorting every unpublished event: a
     * plan that sorts made each look of the publisher cost as much as the whole backlog (a bulk import went
     * quadratic). The query's plan is the regression to catch.
     */
    @Test
    void theLookAtTheOutboxReadsItsIndexInOrderWithoutSorting() {
        org.junit.jupiter.api.Assumptions.assumeFalse(TestStores.onPostgres(),
                "H2's plan only: PostgreSQL plans by its statistics (a near-empty table is read and sorted)");
        String plan = db.<String>read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("explain "
                    + EventOutbox.UNPUBLISHED.replace("limit ?", "limit 500"))) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(plan).contains("event_unpublished").contains("index sorted");
    }
}
