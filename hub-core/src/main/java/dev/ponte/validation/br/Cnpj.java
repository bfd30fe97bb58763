package dev.ponte.validation.br;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A CNPJ: fourteen characters, no mask; numeric or alphanumeric (valid from July 2026) with two numeric check digits. {@code null} is valid (use {@code @NotNull} for required fields). */
@Documented
@Constraint(validatedBy = CnpjValidator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Cnpj {
    String message() default "{ponte.rule.cnpj-check-digit}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
