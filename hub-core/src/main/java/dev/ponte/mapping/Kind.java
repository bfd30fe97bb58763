package dev.ponte.mapping;

/**
 * What a value is while it flows through a field's transform pipeline. The loader checks that each transform receives
 * the kind it expects and that the pipeline ends with a kind the glossary type of the target accepts.
 */
public enum Kind {
    TEXT, LIST, DATE, TIME, DATETIME, DECIMAL, INTEGER, BOOLEAN;

    /** The kind a glossary type needs at the end of a pipeline ({@code money} → DECIMAL, {@code ref:X} → TEXT...). */
    public static Kind forGlossaryType(String type) {
        return switch (type) {
            case "date" -> DATE;
            case "time" -> TIME;
            case "datetime", "instant" -> DATETIME;
            case "decimal", "money" -> DECIMAL;
            case "integer" -> INTEGER;
            case "boolean" -> BOOLEAN;
            default -> TEXT; // string, enum, ref:X
        };
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
