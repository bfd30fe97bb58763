package dev.ponte.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of canonical types: the entities the hub stores, and the value types embedded in them.
 * The glossary describes exactly these types (a test keeps both in step).
 */
public final class CanonicalModel {

    /** Entities, each with a stable canonical id, stored by the hub and cross-referenced to source ids. */
    public static final List<Class<? extends Record>> ENTITIES = List.of(
            Patient.class, Professional.class, Room.class, Unit.class, Procedure.class, Appointment.class,
            TreatmentPackage.class, PackageEnrollment.class, InsurancePlan.class, Coverage.class, Charge.class, Payment.class,
            Invoice.class, Allergy.class, SkinTest.class, ClinicalNote.class, Alert.class, Consent.class,
            Message.class);

    /** Value types: embedded in entities, never stored on their own. */
    public static final List<Class<? extends Record>> VALUE_TYPES = List.of(Address.class);

    private static final Map<String, Class<? extends Record>> BY_NAME = new LinkedHashMap<>();

    static {
        ENTITIES.forEach(c -> BY_NAME.put(c.getSimpleName(), c));
        VALUE_TYPES.forEach(c -> BY_NAME.put(c.getSimpleName(), c));
    }

    private CanonicalModel() {
    }

    /** The canonical type with this simple name ("Patient"), if any. */
    public static Optional<Class<? extends Record>> type(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every canonical type by simple name, entities first. */
    public static Map<String, Class<? extends Record>> types() {
        return BY_NAME;
    }

    /** Whether instances of this type are stored entities (as opposed to embedded values). */
    public static boolean isEntity(Class<?> type) {
        return ENTITIES.contains(type);
    }
}
