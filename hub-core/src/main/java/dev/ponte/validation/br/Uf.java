package dev.ponte.validation.br;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A Brazilian state (UF) as its two-letter code, upper case. {@code null} is valid (use {@code @NotNull} for required fields). */
@Documented
@Constraint(validatedBy = UfValidator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Uf {
    String message() default "{ponte.rule.unknown-state}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
