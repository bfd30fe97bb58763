package dev.ponte.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentications per remote address, to slow down guessing: after {@link #LIMIT} failures within
 * {@link #WINDOW}, the address is refused (429) until the oldest of them is older than the window. Thread safe; at most
 * {@link #MAX_ADDRESSES} addresses are remembered (the oldest forgotten first).
 */
final class FailedAttempts {

    static final int LIMIT = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private final Map<String, Deque<Instant>> byAddress = new ConcurrentHashMap<>();

    /** How long the address must wait, zero when it may try. */
    Duration waitFor(String address, Instant now) {
        Deque<Instant> failures = byAddress.get(address);
        if (failures == null) {
            return Duration.ZERO;
        }
        synchronized (failures) {
            prune(failures, now);
            if (failures.size() < LIMIT) {
                return Duration.ZERO;
            }
            return Duration.between(now, failures.peekFirst().plus(WINDOW));
        }
    }

    void failed(String address, Instant now) {
        if (byAddress.size() >= MAX_ADDRESSES && !byAddress.containsKey(address)) {
            forgetOldest(now);
        }
        Deque<Instant> failures = byAddress.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (failures) {
            prune(failures, now);
            failures.addLast(now);
        }
    }

    private static void prune(Deque<Instant> failures, Instant now) {
        while (!failures.isEmpty() && !failures.peekFirst().plus(WINDOW).isAfter(now)) {
            failures.removeFirst();
        }
    }

    private void forgetOldest(Instant now) {
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = byAddress.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> d = it.next().getValue();
            synchronized (d) {
                prune(d, now);
                if (d.isEmpty()) {
                    it.remove();
                }
            }
        }
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.keySet().stream().findFirst().ifPresent(byAddress::remove);
        }
    }
}
