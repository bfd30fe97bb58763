package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorStateStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The instance state in memory, with the store's optimistic versions, for tests without the hub's store. */
final class MemoryState implements ConnectorStateStore {

    private final Map<String, Versioned> values = new ConcurrentHashMap<>();

    @Override
    public Optional<Versioned> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public synchronized boolean put(String key, String value, long expectedVersion) {
        if (key.length() > 200 || value.length() > 1000) {
            throw new IllegalArgumentException("key or value too long: " + key.length() + "/" + value.length());
        }
        long current = values.containsKey(key) ? values.get(key).version() : ABSENT;
        if (current != expectedVersion) {
            return false;
        }
        values.put(key, new Versioned(value, current + 1));
        return true;
    }

    Map<String, Versioned> all() {
        return Map.copyOf(values);
    }
}
