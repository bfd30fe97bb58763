package dev.ponte.validation;

import java.util.Map;

/**
 * Where each canonical field of a record came from: field path relative to the entity ({@code birthDate},
 * {@code address.state}, list indices and selectors removed) → source column. Lets a violation found on the
 * canonical record name the column the admin has to fix.
 */
public record Provenance(Map<String, String> columnByField) {

    public static final Provenance NONE = new Provenance(Map.of());

    public Provenance {
        columnByField = Map.copyOf(columnByField);
    }

    /** The source column of a canonical path ({@code Patient.consents[1].granted}), or {@code null}. */
    public String sourceOf(String canonicalPath) {
        String relative = canonicalPath.substring(canonicalPath.indexOf('.') + 1);
        return columnByField.get(normalize(relative));
    }

    /** Removes list indices and selectors: {@code consents[channel=SMS].granted} → {@code consents.granted}. */
    public static String normalize(String fieldPath) {
        return fieldPath.replaceAll("\\[[^]]*]", "");
    }
}
