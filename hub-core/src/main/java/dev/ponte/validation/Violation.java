package dev.ponte.validation;

import java.util.Map;

/**
 * Why a record was rejected, precisely enough to fix it: the canonical field, the rule broken, the source column the
 * value came from and the rejected value, already masked when the glossary marks the field sensitive.
 * Messages are rendered on demand in pt-BR or en by {@link Messages}.
 *
 * @param path        canonical field path ({@code Patient.birthDate}, {@code Patient.address.state}); {@code null}
 *                    when the whole record is at fault (a malformed row)
 * @param rule        stable rule id from {@link Rules}
 * @param sourceField source column or field name, {@code null} when none applies
 * @param value       the rejected value as it may be shown (masked if sensitive), or {@code null}
 * @param args        rule-specific message arguments (pattern, allowed values, limits)
 */
public record Violation(String path, String rule, String sourceField, String value, Map<String, Object> args) {
    public Violation {
        args = args == null ? Map.of() : Map.copyOf(args);
    }

    public Violation withSourceField(String field) {
        return new Violation(path, rule, field, value, args);
    }
}
