package dev.ponte.mapping;

/**
 * One problem found while loading a mapping file, located precisely enough for an admin to fix it.
 *
 * @param file    the mapping file as given
 * @param line    1-based line in the file, 0 when unknown
 * @param field   the mapping key or canonical field concerned ({@code Patient.cpff}, {@code source.encoding})
 * @param message what is wrong and, where possible, what to write instead
 */
public record MappingProblem(String file, int line, String field, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + field + ": " + message;
    }
}
