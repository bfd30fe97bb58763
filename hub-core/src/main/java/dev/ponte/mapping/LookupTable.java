package dev.ponte.mapping;

import java.util.Map;
import java.util.Optional;

/**
 * A named translation table (source value → canonical value) kept in its own YAML file next to the mappings, so a
 * clinic can maintain, for example, its insurance plan names without touching the mapping. Matching ignores case and
 * surrounding spaces.
 */
public final class LookupTable {
    private final String name;
    private final Map<String, String> entries;

    public LookupTable(String name, Map<String, String> entries) {
        this.name = name;
        java.util.Map<String, String> normalized = new java.util.HashMap<>();
        entries.forEach((k, v) -> normalized.put(normalize(k), v));
        this.entries = normalized;
    }

    private static String normalize(String key) {
        return key.trim().toUpperCase(java.util.Locale.ROOT);
    }

    public String name() {
        return name;
    }

    /**
     * The canonical value for a source value; an entry mapped to null in the file gives an empty optional value,
     * so callers use {@link #contains} to tell "absent" from "maps to nothing".
     */
    public Optional<String> get(String sourceValue) {
        return Optional.ofNullable(entries.get(normalize(sourceValue)));
    }

    public boolean contains(String sourceValue) {
        return entries.containsKey(normalize(sourceValue));
    }

    public int size() {
        return entries.size();
    }
}
