package dev.ponte.connectors.googlecalendar;

/** At most N permits per second for one instance, shared by its sink, sync and health check; callers wait. */
final class RateLimiter {

    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimiter(int perSecond) {
        this.intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
    }

    void acquire() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            next = Math.max(next, now);
            wait = next - now;
            next += intervalNanos;
        }
        if (wait > 0) {
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
