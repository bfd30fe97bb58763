package dev.ponte.mapping;

import java.util.Map;

/**
 * One record read from a source (a CSV row, a database row, a webhook payload flattened to columns).
 *
 * @param line   1-based line (or position) in the source where the record starts, for error reports
 * @param values column name → raw text; a missing or empty cell is absent or empty, never "null" text
 */
public record SourceRecord(long line, Map<String, String> values) {

    /** The raw text of a column, {@code null} when the column is absent. */
    public String get(String column) {
        return values.get(column);
    }
}
