package dev.ponte.validation.br;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import java.lang.annotation.Annotation;

/**
 * Base of the Brazilian-identifier validators: a subclass says which rule a value breaks (or {@code null}), and the
 * violation carries that rule id as its message template ({@code {ponte.rule.<id>}}), so a wrong length and a wrong
 * check digit are told apart. {@code null} values are valid.
 */
abstract class RuleCheckingValidator<A extends Annotation> implements ConstraintValidator<A, String> {

    /** The id of the rule the value breaks, or {@code null} when it is valid. Never called with {@code null}. */
    protected abstract String brokenRule(String value);

    @Override
    public final boolean isValid(String value, ConstraintValidatorContext context) {
        String rule = value == null ? null : brokenRule(value);
        if (rule == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("{ponte.rule." + rule + "}").addConstraintViolation();
        return false;
    }
}
