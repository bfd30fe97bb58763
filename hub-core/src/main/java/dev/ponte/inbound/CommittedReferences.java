package dev.ponte.inbound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Canonical ids of committed cross-references, by (system, type, source key), shared by the chunks of a hub: an
 * appointment file names the same patients chunk after chunk, and looking each up again cost a tenth of the inbound
 * consumer's time. Safe because a committed cross-reference never points to another canonical id (the store only
 * adds them, or updates their content hash), and because only ids read in a transaction that then committed are
 * added. Missing references are never cached: another process (the admin CLI replaying a dead letter) may add them.
 * Bounded (least recently used entries go first). Thread safe.
 */
final class CommittedReferences {

    static final int DEFAULT_CAPACITY = 50_000;

    private final Map<String, String> ids;

    CommittedReferences(int capacity) {
        this.ids = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    static String key(String system, String type, String sourceKey) {
        return system + '|' + type + '|' + sourceKey;
    }

    synchronized Optional<String> get(String key) {
        return Optional.ofNullable(ids.get(key));
    }

    /** Adds ids read in a transaction that has committed. */
    synchronized void addAll(Map<String, String> committed) {
        ids.putAll(committed);
    }

    synchronized int size() {
        return ids.size();
    }
}
