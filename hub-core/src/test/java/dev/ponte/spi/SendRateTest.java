package dev.ponte.spi;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sliding window on a clock that only moves when the limiter waits: exact, and no real waiting. */
class SendRateTest {

    /** A clock the test moves; the limiter's waits move it. */
    private static final class ManualClock extends Clock {
        long millis = 1_700_000_000_000L;

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
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aBurstUpToTheLimitGoesAtOnceAndTheNextWaitsForTheOldestToLeaveTheWindow() throws Exception {
        ManualClock clock = new ManualClock();
        List<Long> waits = new ArrayList<>();
        SendRate t = new SendRate(5, clock, ms -> {
            waits.add(ms);
            clock.millis += ms;
        });
        long start = clock.millis;
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            t.acquire();
            sent.add(clock.millis - start);
            clock.millis += 10; // each send takes 10 ms
        }
        assertThat(sent).containsExactly(0L, 10L, 20L, 30L, 40L, 1001L, 1011L, 1021L, 1031L, 1041L, 2002L, 2012L);
        assertThat(waits).containsExactly(951L, 951L);
        for (long s : sent) {
            // a closed second, as a receiver counting whole milliseconds sees it
            assertThat(sent.stream().filter(x -> x >= s && x <= s + 1000).count()).as("sends in [" + s + ", " + s
                    + "+1000]").isLessThanOrEqualTo(5);
        }
    }

    @Test
    void aClockSteppingBackDoesNotBlockTheSender() throws Exception {
        ManualClock clock = new ManualClock();
        SendRate t = new SendRate(1, clock, ms -> {
            throw new AssertionError("waited " + ms + " ms");
        });
        t.acquire();
        clock.millis -= 3_600_000;
        t.acquire();
    }
}
