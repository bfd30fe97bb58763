package dev.ponte.validation;

import java.util.Map;

/**
 * A rule broken by a field of a record, before the validator masks the value and names the source column.
 *
 * @param field    field path relative to the entity ({@code end}, {@code address.state})
 * @param rule     rule id from {@link Rules}
 * @param rawValue the offending value, unmasked; never leaves the validator
 * @param args     message arguments
 */
record Finding(String field, String rule, Object rawValue, Map<String, Object> args) {
    static Finding of(String field, String rule, Object rawValue, Object... keyValues) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Finding(field, rule, rawValue, args);
    }
}
