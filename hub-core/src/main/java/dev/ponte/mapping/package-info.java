/**
 * The mapping engine: declarative YAML mapping files ({@link dev.ponte.mapping.MappingLoader}) that turn source
 * records into canonical records through a fixed library of transforms ({@link dev.ponte.mapping.TransformLibrary}).
 * No mapping can execute code.
 */
package dev.ponte.mapping;
