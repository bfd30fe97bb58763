package dev.ponte.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On an embedded H2 a write transaction starts only once the previous one ended (H2 recovers transactions
 * atomically after a crash only then: docs/architecture.md), while a read-only probe does not wait for them.
 */
class DatabaseWriteSerializationTest {

    private final Database db = Database.open("jdbc:h2:mem:serial-" + System.nanoTime()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", null, null);
    private final List<String> steps = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aSecondWriteTransactionWaitsForTheFirstAndAReadDoesNot() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> db.inTransaction(c -> {
            steps.add("first begins");
            firstInside.countDown();
            await(releaseFirst);
            c.createStatement().execute("select 1");
            steps.add("first commits");
            return null;
        }));
        assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();

        Thread[] secondThread = new Thread[1];
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            secondThread[0] = Thread.currentThread();
            db.inTransaction(c -> {
                steps.add("second begins");
                return null;
            });
        });
        // the second is parked on the lock (a state, not a time): then the first may go on
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((secondThread[0] == null || secondThread[0].getState() != Thread.State.WAITING)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(secondThread[0].getState()).as("the second write transaction waits").isEqualTo(
                Thread.State.WAITING);
        // a read-only probe answers while the first still holds its transaction open
        Boolean answered = db.read(c -> c.createStatement().executeQuery("select 42").next());
        assertThat(answered).isTrue();
        steps.add("read answered");

        releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(steps).containsExactly("first begins", "read answered", "first commits", "second begins");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
