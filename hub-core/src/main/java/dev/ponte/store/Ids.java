package dev.ponte.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New canonical and event ids: UUID version 7 (RFC 9562), a millisecond timestamp then randomness, so ids made later
 * sort later. The store's B-tree indexes then grow at their right edge instead of touching a random page per insert,
 * which made a bulk import rewrite most of the canonical-record index at every commit (see docs/performance.md).
 *
 * <p>Layout: 48 bits of Unix milliseconds, the version (4 bits), a 12-bit counter, the variant (2 bits) and
 * <b>62 random bits</b> (from {@link SecureRandom}). The counter starts at a random value below 1,024 (10 random bits)
 * at each new millisecond and counts up within it, so the first id of a millisecond has 72 random bits and the
 * following ones 62 fresh random bits each. That is fewer than a random UUID's 122: two processes making ids in the
 * same millisecond collide with a probability of the order of n&sup2; / 2<sup>62</sup> for n ids each, negligible for a clinic
 * hub, but do not use these ids as unguessable tokens. Monotonic within a process. Thread safe. (No maintained
 * UUIDv7 library is on the class path; this one is small enough to read.)
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
