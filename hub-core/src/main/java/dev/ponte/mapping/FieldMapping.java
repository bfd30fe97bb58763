package dev.ponte.mapping;

import java.util.List;

/**
 * How one canonical field is filled: from source column(s) or a constant, through a pipeline of transforms.
 *
 * @param target      where the value goes
 * @param columns     source columns (one, or several for transforms that take a list); empty with a constant
 * @param constant    a fixed value instead of columns, or {@code null}
 * @param pipeline    the compiled transforms
 * @param sourceField the column named in violations of this field (the first column unless {@code source-field} says
 *                    otherwise), or {@code null} for constants
 */
record FieldMapping(TargetPath target, List<String> columns, String constant, TransformLibrary.Pipeline pipeline,
                    String sourceField) {

    Object input(SourceRecord row) {
        if (constant != null) {
            return constant;
        }
        if (columns.size() == 1) {
            return TransformLibrary.blankToNull(row.get(columns.get(0)));
        }
        java.util.List<String> values = new java.util.ArrayList<>(columns.size());
        for (String c : columns) {
            values.add(row.get(c));
        }
        return values;
    }

    /** The raw text behind a failure, for the violation (masked by the caller). */
    String rawValue(SourceRecord row, String column) {
        if (constant != null) {
            return constant;
        }
        return row.get(column != null ? column : columns.get(0));
    }
}
