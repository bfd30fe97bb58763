package dev.ponte.validation;

import java.util.Optional;

/**
 * What the validation may know about other entities: whether a referenced patient, procedure or plan exists, and
 * the entity itself for rules that need it (coverage of a plan, consents of a patient). The hub's store implements
 * it; {@link ReferenceSet} is an in-memory implementation for previews and tests.
 * <p>
 * Implementations must be safe for concurrent reads.
 */
public interface ReferenceCatalog {

    /** A catalog that holds nothing: reference rules are skipped. */
    ReferenceCatalog NONE = new ReferenceCatalog() {
        @Override
        public boolean holds(String entityType) {
            return false;
        }

        @Override
        public <T> Optional<T> find(Class<T> type, String key) {
            return Optional.empty();
        }
    };

    /**
     * Whether this catalog holds the keys of an entity type at all. References to types it does not hold are not
     * checked (and the caller says so to the user), rather than all being reported unknown.
     */
    boolean holds(String entityType);

    /** The entity of this type with this key (id, or code for procedures), if held. */
    <T> Optional<T> find(Class<T> type, String key);

    /** Whether an entity of this type with this key is known. Only meaningful when {@link #holds} is true. */
    default boolean contains(Class<?> type, String key) {
        return find(type, key).isPresent();
    }
}
