package dev.ponte.inbound;

import dev.ponte.mapping.Mapping;

import java.util.Optional;

/** The mappings in force, by name. Implementations may reload changed files; they must be thread safe. */
public interface MappingRegistry {
    /** The current version of the mapping with this name. */
    Optional<Mapping> mapping(String name);
}
