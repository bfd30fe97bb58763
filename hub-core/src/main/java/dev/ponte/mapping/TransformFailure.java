package dev.ponte.mapping;

import java.util.Map;

/**
 * A transform could not turn a source value into a canonical one ("32/13/2026" is not a date). Carries the rule id,
 * the arguments of its message and, when the field has several source columns, the column at fault. The engine adds
 * the field and the (masked) value. Cheap to throw: no stack trace, because bad rows are expected input, not bugs.
 */
public final class TransformFailure extends Exception {
    private final String rule;
    private final Map<String, Object> args;
    private final String column;

    public TransformFailure(String rule, Map<String, Object> args, String column) {
        super(rule, null, false, false);
        this.rule = rule;
        this.args = Map.copyOf(args);
        this.column = column;
    }

    public TransformFailure(String rule, Map<String, Object> args) {
        this(rule, args, null);
    }

    public String rule() {
        return rule;
    }

    public Map<String, Object> args() {
        return args;
    }

    /** The source column at fault, or {@code null} when it is the field's only (or first) column. */
    public String column() {
        return column;
    }
}
