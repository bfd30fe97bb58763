package dev.ponte.store;

import dev.ponte.testsupport.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hash-chained audit log on both engines: appends from many transactions at once (PostgreSQL runs them side by
 * side, on raw pooled connections here so that H2 does too) make one unbroken chain 1..n, and an altered row breaks it.
 */
@Tag("store")
class AuditLogTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        // room for the forty writers queued on the head row's lock on H2 (its default lock timeout is 1 s)
        db = TestStores.open(Database.embeddedUrl(dir) + ";LOCK_TIMEOUT=30000", Database::open);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void fortyConcurrentAppendsMakeOneUnbrokenChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try (var c = db.dataSource().getConnection()) {
                        c.setAutoCommit(false);
                        AuditLog.append(c, "tester", "test.append", "Thing/" + n, null, "concurrency", NOW);
                        c.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.<Optional<AuditLog.Break>>read(AuditLog::verify)).isEmpty();
        assertThat(db.<Long>read(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*), max(seq) from audit_log");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
                return rs.getLong(1);
            }
        })).isEqualTo(40);
    }

    @Test
    void anAlteredRowBreaksTheChainThere() {
        for (int i = 1; i <= 3; i++) {
            int n = i;
            db.inTransaction(c -> {
                AuditLog.append(c, "tester", "test.append", "Thing/" + n, "detail " + n, null, NOW);
                return null;
            });
        }
        db.inTransaction(c -> Sql.update(c, "update audit_log set detail = 'changed' where seq = 2"));
        Optional<AuditLog.Break> broken = db.read(AuditLog::verify);
        assertThat(broken).isPresent();
        assertThat(broken.get().seq()).isEqualTo(2);
    }
}
