package dev.ponte.inbound;

import dev.ponte.model.CanonicalModel;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place for the names of canonical events: the type {@code <entity>.<verb>} with the entity in kebab case
 * ({@code PackageEnrollment} ↔ {@code package-enrollment.upserted}), and the source
 * {@code ponte://<system>/<instance>} of changes that came in through a connector instance.
 */
public final class EventTypes {

    /** A record was created or changed. */
    public static final String UPSERTED = "upserted";
    /** A record's {@code status} changed. */
    public static final String STATUS_CHANGED = "status-changed";
    /** A record's {@code start} or {@code end} changed. */
    public static final String RESCHEDULED = "rescheduled";
    /** A source record was recognised as an existing patient (same CPF) and cross-referenced to it. */
    public static final String MERGED = "merged";

    /** The verbs of events that carry a changed record (and become commands for sinks). */
    public static final Set<String> RECORD_VERBS = Set.of(UPSERTED, STATUS_CHANGED, RESCHEDULED);

    private static final Pattern CAPITAL = Pattern.compile("([A-Z])");
    /** Kebab-case names of the canonical types, computed once: the import names an event for every row. */
    private static final Map<String, String> KEBAB = new HashMap<>();

    static {
        CanonicalModel.types().keySet().forEach(name -> KEBAB.put(name, computeKebab(name)));
    }

    private EventTypes() {
    }

    /** The event type of a change to an entity: {@code type("PackageEnrollment", UPSERTED)}. */
    public static String type(String entity, String verb) {
        return kebab(entity) + "." + verb;
    }

    /** An entity's name in event types: {@code PackageEnrollment} → {@code package-enrollment}. */
    public static String kebab(String entity) {
        String known = KEBAB.get(entity);
        return known != null ? known : computeKebab(entity);
    }

    private static String computeKebab(String entity) {
        return Character.toLowerCase(entity.charAt(0)) + CAPITAL.matcher(entity.substring(1)).replaceAll("-$1")
                .toLowerCase(Locale.ROOT);
    }

    /** The canonical type named in kebab case: {@code package-enrollment} → {@code PackageEnrollment}, if any. */
    public static Optional<String> entity(String kebab) {
        StringBuilder name = new StringBuilder();
        for (String part : kebab.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return CanonicalModel.type(name.toString()).map(Class::getSimpleName);
    }

    /** The entity of a record-change event ({@link #RECORD_VERBS}): {@code package-enrollment.upserted} → PackageEnrollment. */
    public static Optional<String> recordEntity(String eventType) {
        int dot = eventType.indexOf('.');
        if (dot < 0 || !RECORD_VERBS.contains(eventType.substring(dot + 1))) {
            return Optional.empty();
        }
        return entity(eventType.substring(0, dot));
    }

    /** The event source of changes that came in through a connector instance: {@code ponte://<system>/<instance>}. */
    public static String source(String system, String instance) {
        return "ponte://" + system + "/" + instance;
    }
}
