package dev.ponte.inbound;

import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.StoreException;
import dev.ponte.validation.ReferenceCatalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * References as the store knows them, through the cross-references of one source system, on the transaction's own
 * connection (so records written earlier in the same transaction count). A type is "held" once the store has any
 * record of it from that system: before the first import of insurance plans, say, plan references are not checked.
 */
final class StoreReferenceCatalog implements ReferenceCatalog {

    private final Connection c;
    private final String system;
    private final Map<String, Boolean> held = new HashMap<>();
    private final CommittedReferences committed;
    /** Canonical ids read from the store in this transaction, by {@link CommittedReferences#key}. */
    private final Map<String, String> canonicalIds = new HashMap<>();

    /** A catalog that reads the store only (for a one-off transaction such as a replay). */
    StoreReferenceCatalog(Connection c, String system) {
        this(c, system, new CommittedReferences(0));
    }

    /**
     * @param committed ids of committed cross-references, looked at before the store; once this transaction has
     *                  committed, hand it {@link #readInThisTransaction()}
     */
    StoreReferenceCatalog(Connection c, String system, CommittedReferences committed) {
        this.c = c;
        this.system = system;
        this.committed = committed;
    }

    /** The cross-references this transaction read from the store. */
    Map<String, String> readInThisTransaction() {
        return canonicalIds;
    }

    @Override
    public boolean holds(String entityType) {
        return held.computeIfAbsent(entityType, t -> {
            try {
                return CanonicalStore.holdsAny(c, system, t);
            } catch (SQLException e) {
                throw new StoreException("cannot read cross-references: " + e.getMessage(), e);
            }
        });
    }

    /** The canonical id of the record of a type this system knows by {@code key}, looked up once. */
    Optional<String> canonicalId(String type, String key) {
        String cacheKey = CommittedReferences.key(system, type, key);
        String known = canonicalIds.get(cacheKey);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> before = committed.get(cacheKey);
        if (before.isPresent()) {
            return before;
        }
        try {
            Optional<String> id = CanonicalStore.referencedId(c, system, type, key);
            id.ifPresent(v -> canonicalIds.put(cacheKey, v));
            return id;
        } catch (SQLException e) {
            throw new StoreException("cannot read cross-references: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> Optional<T> find(Class<T> type, String key) {
        try {
            Optional<String> x = canonicalId(type.getSimpleName(), key);
            if (x.isEmpty()) {
                return Optional.empty();
            }
            String canonicalId = x.get();
            Optional<String> payload = CanonicalStore.payload(c, type.getSimpleName(), canonicalId);
            return payload.map(p -> {
                try {
                    return Json.MAPPER.readValue(p, type);
                } catch (java.io.IOException e) {
                    throw new StoreException("stored " + type.getSimpleName() + " " + canonicalId
                            + " is not readable: " + e.getMessage(), e);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("cannot read " + type.getSimpleName() + " " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(Class<?> type, String key) {
        return canonicalId(type.getSimpleName(), key).isPresent();
    }
}
