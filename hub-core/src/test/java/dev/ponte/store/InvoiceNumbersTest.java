package dev.ponte.store;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Document numbers per issuer and series: taken in the caller's transaction with a row lock, so concurrent
 * transactions get distinct consecutive numbers, a rollback gives its number back, and a reopened database counts on.
 */
@Tag("store")
class InvoiceNumbersTest {

    private static final String CNPJ = "11222333000181";
    private static final String OTHER_CNPJ = "11444777000161";

    @TempDir
    Path dir;
    private Database db;
    private TestStores.Target store;

    @BeforeEach
    void open() {
        store = TestStores.target(url());
        db = store.open(Database::open);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The embedded URL, with room for 50 transactions queued on one row lock (no hub-side serialization). */
    private String url() {
        return Database.embeddedUrl(dir) + ";LOCK_TIMEOUT=30000";
    }

    @Test
    void fiftyConcurrentTransactionsOfTheHubGetOneToFiftyEachOnce() throws Exception {
        List<Long> numbers = concurrently(50, () -> db.inTransaction(c -> take(c, "1")));
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(last()).isEqualTo(50);
    }

    /**
     * The same on raw connections, which H2 does not serialize (as PostgreSQL would not): the row lock alone, and the
     * first use of the series raced by all fifty, give 1..50.
     */
    @Test
    void fiftyConcurrentTransactionsOnTheirOwnConnectionsRaceTheFirstUseAndStillGetOneToFifty() throws Exception {
        List<Long> numbers = concurrently(50, () -> {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    long n = take(c, "7");
                    c.commit();
                    return n;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        });
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void aRolledBackTransactionGivesItsNumberBack() {
        assertThat(number(c -> take(c, "1"))).isEqualTo(1);
        assertThatThrownBy(() -> db.inTransaction(c -> {
            assertThat(take(c, "1")).isEqualTo(2L);
            throw new IllegalStateException("the Invoice could not be written");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(number(c -> take(c, "1"))).as("no gap: 2 again").isEqualTo(2);
    }

    @Test
    void aRolledBackFirstUseLeavesNoSeries() {
        assertThatThrownBy(() -> db.inTransaction(c -> {
            take(c, "1");
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);
        boolean exists = db.inTransaction(c -> InvoiceNumbers.last(c, CNPJ, "1").isPresent());
        assertThat(exists).as("no series row").isFalse();
        assertThat(number(c -> take(c, "1"))).isEqualTo(1);
    }

    @Test
    void seriesAndIssuersCountSeparately() {
        List<Long> got = db.inTransaction(c -> List.of(take(c, "1"), take(c, "1"), take(c, "2"),
                InvoiceNumbers.next(c, OTHER_CNPJ, "1", 1), take(c, "1"), InvoiceNumbers.next(c, OTHER_CNPJ, "1", 1),
                take(c, "2")));
        assertThat(got).containsExactly(1L, 2L, 1L, 1L, 3L, 2L, 2L);
    }

    @Test
    void aNewSeriesStartsAtTheConfiguredFirstNumberAndOnlyThen() {
        assertThat(number(c -> InvoiceNumbers.next(c, CNPJ, "3", 1001))).isEqualTo(1001);
        assertThat(number(c -> InvoiceNumbers.next(c, CNPJ, "3", 5000))).as("the series exists: counts on")
                .isEqualTo(1002);
        assertThatThrownBy(() -> db.inTransaction(c -> InvoiceNumbers.next(c, CNPJ, "4", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aReopenedDatabaseCountsOn() {
        db.inTransaction(c -> List.of(take(c, "1"), take(c, "1"), take(c, "1")));
        db.close();
        db = store.open(Database::open);
        assertThat(number(c -> take(c, "1"))).isEqualTo(4);
    }

    private long number(Database.Work<Long> work) {
        return db.inTransaction(work);
    }

    private long last() {
        return db.inTransaction(c -> InvoiceNumbers.last(c, CNPJ, "1")).getAsLong();
    }

    private static long take(Connection c, String series) throws SQLException {
        return InvoiceNumbers.next(c, CNPJ, series, 1);
    }

    /** Runs {@code n} tasks at once (released together by a latch) and returns their results. */
    private static List<Long> concurrently(int n, Callable<Long> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Long> out = new ArrayList<>();
            for (Future<Long> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
