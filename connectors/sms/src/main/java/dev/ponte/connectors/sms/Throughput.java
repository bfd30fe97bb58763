package dev.ponte.connectors.sms;

import java.time.Clock;
import java.util.ArrayDeque;

/**
 * At most {@code perSecond} submits within any second (a sliding window of the last submits' times, read from the
 * hub's clock): {@link #acquire()} waits until one more keeps to it. A burst up to the limit goes out at once; the
 * next waits for the oldest to leave the window. Thread safe. (The same limiter as the whatsapp connector's; each
 * connector keeps its own copy, as connectors share nothing but the SPI.)
 */
final class Throughput {

    /** How the limiter waits; {@code Thread::sleep} in production, the test's clock in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private static final long WINDOW_MILLIS = 1000;

    private final int perSecond;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    Throughput(int perSecond, Clock clock, Sleeper sleeper) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond " + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    int perSecond() {
        return perSecond;
    }

    /**
     * Waits for a free place in the window and takes it.
     *
     * @throws InterruptedException the hub is stopping; no place is taken
     */
    synchronized void acquire() throws InterruptedException {
        while (true) {
            long now = clock.millis();
            if (!sent.isEmpty() && now < sent.peekLast()) {
                sent.clear(); // the clock stepped back: forget the window rather than wait for the old time
            }
            while (!sent.isEmpty() && sent.peekFirst() < now - WINDOW_MILLIS) {
                sent.removeFirst();
            }
            if (sent.size() < perSecond) {
                sent.addLast(now);
                return;
            }
            sleeper.sleep(sent.peekFirst() + WINDOW_MILLIS + 1 - now);
        }
    }
}
