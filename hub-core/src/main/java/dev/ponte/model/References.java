package dev.ponte.model;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field that holds the key of another canonical entity (its id, or for {@link Procedure} its code).
 * Coming out of a mapping the key is still the source system's; the hub resolves it through the xref table.
 * The glossary shows such a field as {@code ref:<Entity>}, and the validation checks that the entity exists.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface References {
    /** The referenced canonical entity. */
    Class<?> value();

    /**
     * Whether a sink's command for the record also carries the referenced record's own references, and theirs (up
     * to {@code OutboundCommands.MAX_DEPTH} levels), keyed by path: an Invoice's command carries
     * {@code chargeId}, {@code chargeId.patientId}, {@code chargeId.appointmentId} and
     * {@code chargeId.appointmentId.procedureCode}, because its document is made of them. Off by default: one level.
     */
    boolean deep() default false;
}
