package dev.ponte.spi;

import java.time.Clock;
import java.util.ArrayDeque;

/**
 * A sink's send rate: at most {@code perSecond} sends within any second (a sliding window of the last sends' times):
 * {@link #acquire()} waits until one more send keeps to it. A burst up to the limit goes out at once; the next waits
 * for the oldest to leave the window. Callers wait in order of arrival at the lock. Thread safe. The
 * {@code messages-per-second} option of the channel connectors (WhatsApp's 80/s, an SMSC's or a mail service's
 * limit): {@link #realTime(int)}.
 *
 * <p>The limit is the provider's, in real seconds: a connector measures it on the real clock, never on the hub's
 * clock ({@link ConnectorContext#clock()}), which a simulated day or a test may hold still or move by minutes. On a
 * clock that stands still the second never ends, and the send after the limit would wait for ever (the whole-day
 * test, ClinicDayIT, found this).
 *
 * @since 0.4
 */
public final class SendRate {

    /** How the limiter waits; {@code Thread::sleep} in production, the test's clock in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private static final long WINDOW_MILLIS = 1000;

    private final int perSecond;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    /**
     * @param perSecond at least 1
     * @param clock     the clock the window is measured on: real time ({@link #realTime}), or a test's clock
     * @param sleeper   how to wait: {@code Thread::sleep}, or a test's clock
     */
    public SendRate(int perSecond, Clock clock, Sleeper sleeper) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond " + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The limit on the real clock (the system's UTC clock, {@code Thread::sleep}): what a connector uses. */
    public static SendRate realTime(int perSecond) {
        return new SendRate(perSecond, Clock.systemUTC(), Thread::sleep);
    }

    /** The limit. */
    public int perSecond() {
        return perSecond;
    }

    /**
     * Waits for a free place in the window and takes it.
     *
     * @throws InterruptedException the hub is stopping; no place is taken
     */
    public synchronized void acquire() throws InterruptedException {
        while (true) {
            long now = clock.millis();
            if (!sent.isEmpty() && now < sent.peekLast()) {
                sent.clear(); // the clock stepped back: forget the window rather than wait for the old time
            }
            // a send at t counts until t + 1000 inclusive: no closed second [t, t + 1000] holds more than perSecond
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
