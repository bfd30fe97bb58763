package dev.ponte.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New canonical and event ids: UUID version 7 (RFC 9562), a millisecond timestamp then randomness, so ids made later
 * sort later. The store's B-tree indexes then grow at their right edge instead of touching a random page per insert,
 * which made a bulk import rewrite most of the canonical-record index at every commit (see docs/performance.md).
 * Unique across processes like random UUIDs (74 random bits); monotonic within a process. Thread safe.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static long sequence; // 12 bits, counts ids made within one millisecond

    private Ids() {
    }

    /** A new time-ordered UUID, as text. */
    public static String newId() {
        long millis;
        long seq;
        synchronized (Ids.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                sequence++;
                if (sequence > 0xFFF) { // 4,096 ids in one millisecond: borrow the next one
                    millis++;
                    sequence = 0;
                }
            } else {
                sequence = RANDOM.nextInt(0x400); // leave room to count up
            }
            lastMillis = millis;
            seq = sequence;
        }
        long high = (millis << 16) | 0x7000L | seq;
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
