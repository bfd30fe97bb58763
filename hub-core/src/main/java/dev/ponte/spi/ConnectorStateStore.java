package dev.ponte.spi;

import java.util.Optional;

/**
 * Small durable key/value state of one connector instance (a poller's watermark, a sync token, an ETag), kept by the
 * hub and scoped to the instance: keys of other instances are neither visible nor writable. Writes are optimistic:
 * each value has a version, and {@link #put} succeeds only when the caller names the version it read, so two
 * threads or two hub processes never overwrite each other's progress silently. No JDBC in connector code.
 * Implementations are thread safe; each call is its own transaction.
 *
 * @since 0.2
 */
public interface ConnectorStateStore {

    /**
     * A stored value and its version.
     *
     * @param value   the value, never {@code null}
     * @param version positive; grows by one on every write
     * @since 0.2
     */
    record Versioned(String value, long version) {
    }

    /** The version to pass to {@link #put} for a key that does not exist yet. */
    long ABSENT = 0;

    /**
     * The value of a key.
     *
     * @param key at most 200 characters
     * @return the value with its version, or empty when the key was never written
     */
    Optional<Versioned> get(String key);

    /**
     * Writes a key if it still has the version read.
     *
     * @param key             at most 200 characters
     * @param value           at most 1000 characters; not {@code null}
     * @param expectedVersion the version of the value read, or {@link #ABSENT} when the key did not exist
     * @return {@code true} when written (the new version is {@code expectedVersion + 1}); {@code false} when someone
     *         else wrote the key in between: nothing changed, read again and decide
     */
    boolean put(String key, String value, long expectedVersion);

    /** The value of a key without its version, for reads that will not write back. */
    default Optional<String> value(String key) {
        return get(key).map(Versioned::value);
    }
}
