package dev.ponte.validation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link ReferenceCatalog}, filled from already-mapped records. Thread safe. */
public final class ReferenceSet implements ReferenceCatalog {

    private final Map<Class<?>, Map<String, Object>> byType = new ConcurrentHashMap<>();

    /** Declares that this catalog holds the given type, even while it has no entity of it yet. */
    public ReferenceSet hold(Class<?> type) {
        byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        return this;
    }

    /** Adds an entity under its key (source id, or code for procedures). */
    public ReferenceSet add(Class<?> type, String key, Object entity) {
        byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(key, entity);
        return this;
    }

    @Override
    public boolean holds(String entityType) {
        return byType.keySet().stream().anyMatch(c -> c.getSimpleName().equals(entityType));
    }

    @Override
    public <T> Optional<T> find(Class<T> type, String key) {
        Object found = byType.getOrDefault(type, Map.of()).get(key);
        return type.isInstance(found) ? Optional.of(type.cast(found)) : Optional.empty();
    }

    /** How many entities of each type this set holds, by simple type name. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new HashMap<>();
        byType.forEach((k, v) -> out.put(k.getSimpleName(), v.size()));
        return out;
    }
}
