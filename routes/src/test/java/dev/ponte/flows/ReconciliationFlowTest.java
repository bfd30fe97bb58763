package dev.ponte.flows;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.reconcile.Reconciliation;
import dev.ponte.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The daily run: nothing before the hour, yesterday once after it, the next day again. */
@Tag("store")
class ReconciliationFlowTest {

    static final ZoneId SP = ZoneId.of("America/Sao_Paulo");

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir.resolve("db")), Database::open);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void reconcilesThePreviousDayOnceAfterTheHour() throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-02T08:59:00Z")); // 05:59 in São Paulo
        Path reports = dir.resolve("reports");
        ReconciliationFlow flow = new ReconciliationFlow(db, new Reconciliation(SP, null), LocalTime.of(6, 0), SP,
                reports, "clinic", clock);
        flow.tick();
        assertThat(reports.resolve("reconcile-2026-12-01.csv")).as("before 06:00").doesNotExist();
        clock.now = Instant.parse("2026-12-02T09:01:00Z");
        flow.tick();
        assertThat(reports.resolve("reconcile-2026-12-01.csv")).exists();
        java.nio.file.Files.delete(reports.resolve("reconcile-2026-12-01.csv"));
        flow.tick();
        assertThat(reports.resolve("reconcile-2026-12-01.csv")).as("once a day").doesNotExist();
        clock.now = Instant.parse("2026-12-03T09:01:00Z");
        flow.tick();
        assertThat(reports.resolve("reconcile-2026-12-02.csv")).exists();
    }
}
