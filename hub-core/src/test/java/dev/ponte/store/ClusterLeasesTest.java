package dev.ponte.store;

import dev.ponte.testsupport.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases of single-run work, on both engines; times are given, not read from a clock. */
@Tag("store")
class ClusterLeasesTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir) + ";LOCK_TIMEOUT=30000", Database::open);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ClusterLeases.Lease acquire(String member, Instant now) {
        return db.inTransaction(c -> ClusterLeases.acquire(c, "scheduled", member, LEASE, now));
    }

    @Test
    void theFirstTakesItTheSecondWaitsUntilItExpires() {
        assertThat(acquire("hub-a", T0).holder()).isEqualTo("hub-a");
        assertThat(acquire("hub-b", T0.plusSeconds(1)).holder()).as("held by a").isEqualTo("hub-a");
        ClusterLeases.Lease renewed = acquire("hub-a", T0.plusSeconds(5));
        assertThat(renewed.holder()).isEqualTo("hub-a");
        assertThat(renewed.acquiredAt()).as("a renewal keeps the start").isEqualTo(T0);
        assertThat(renewed.expiresAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(acquire("hub-b", T0.plusSeconds(19)).holder()).as("still a's").isEqualTo("hub-a");
        // a stops renewing (killed): b takes it once it has expired
        ClusterLeases.Lease taken = acquire("hub-b", T0.plusSeconds(21));
        assertThat(taken.holder()).isEqualTo("hub-b");
        assertThat(taken.acquiredAt()).isEqualTo(T0.plusSeconds(21));
        assertThat(acquire("hub-a", T0.plusSeconds(22)).holder()).as("a, back, finds it b's").isEqualTo("hub-b");
    }

    @Test
    void aReleasedLeaseIsTakenAtOnce() {
        acquire("hub-a", T0);
        assertThat(db.<Boolean>inTransaction(c -> ClusterLeases.release(c, "scheduled", "hub-b", T0))).as("not b's")
                .isFalse();
        assertThat(db.<Boolean>inTransaction(c -> ClusterLeases.release(c, "scheduled", "hub-a", T0.plusSeconds(2))))
                .isTrue();
        assertThat(acquire("hub-b", T0.plusSeconds(3)).holder()).isEqualTo("hub-b");
    }

    @Test
    void manyAskingAtOnceForANewLeaseGetOneHolder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ClusterLeases.Lease>> asks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String member = "hub-" + i;
                asks.add(() -> {
                    // raw connections: H2 runs them side by side too (Database serializes its own transactions)
                    try (var c = db.dataSource().getConnection()) {
                        c.setAutoCommit(false);
                        ClusterLeases.Lease l = ClusterLeases.acquire(c, "fresh", member, LEASE, T0);
                        c.commit();
                        return l;
                    }
                });
            }
            List<String> holders = new ArrayList<>();
            for (Future<ClusterLeases.Lease> f : pool.invokeAll(asks)) {
                holders.add(f.get(60, TimeUnit.SECONDS).holder());
            }
            assertThat(holders).as("every ask answered with the one holder").containsOnly(holders.get(0));
        } finally {
            pool.shutdownNow();
        }
    }
}
