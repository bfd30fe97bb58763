package dev.ponte.mapping;

import org.yaml.snakeyaml.nodes.Node;

import java.util.Locale;

/**
 * What {@code map} and {@code lookup} do with a value they have no entry for, written {@code otherwise: reject |
 * keep | null}; {@code reject} when absent.
 */
enum OnFailure {
    /** The row is rejected ({@code unknown-value}). */
    REJECT,
    /** The source value is kept as it is. */
    KEEP,
    /** The value becomes "no value". */
    NULL;

    /** The word in mapping files. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy an {@code otherwise} node gives: {@link #REJECT} without one; YAML's own null ({@code otherwise:
     * null} unquoted) is {@link #NULL}.
     */
    static OnFailure parse(Node node) throws TransformLibrary.BadArgument {
        if (node == null) {
            return REJECT;
        }
        String text = YamlNodes.isNull(node) ? "null" : YamlNodes.text(node);
        for (OnFailure f : values()) {
            if (f.word().equals(text)) {
                return f;
            }
        }
        throw new TransformLibrary.BadArgument("otherwise must be reject, keep or null, not "
                + (text == null ? "a list or a map" : "'" + text + "'"));
    }
}
