package dev.ponte.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/** The simulated clock of the demo's day: the hub's messaging, flows and sinks read it; the demo moves it. */
public final class DemoClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public DemoClock(Instant start, ZoneId zone) {
        this(new AtomicReference<>(start), zone);
    }

    private DemoClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the clock forward by {@code step}. */
    public void advance(Duration step) {
        now.updateAndGet(t -> t.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new DemoClock(now, other);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
