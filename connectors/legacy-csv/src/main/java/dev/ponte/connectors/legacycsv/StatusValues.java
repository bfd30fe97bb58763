package dev.ponte.connectors.legacycsv;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code status-values} option read: canonical appointment status → the legacy system's value, e.g.
 * {@code CONFIRMED=CF}. The default is the inverse of the shipped legacy-clinic mapping ({@code agenda.yaml}).
 */
final class StatusValues {

    /** The canonical statuses (the glossary's {@code Appointment.status}). */
    static final List<String> CANONICAL = List.of("SCHEDULED", "CONFIRMED", "ATTENDED", "NO_SHOW", "CANCELLED",
            "RESCHEDULED");
    static final String DEFAULT = "SCHEDULED=AG,CONFIRMED=CF,ATTENDED=AT,NO_SHOW=FA,CANCELLED=CA,RESCHEDULED=RE";

    private StatusValues() {
    }

    /**
     * Reads the option's entries ({@code LIST}).
     *
     * @throws IllegalArgumentException with words for the admin starting with "must"
     */
    static Map<String, String> parse(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String canonical = eq < 0 ? entry.strip() : entry.substring(0, eq).strip();
            String legacy = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (!CANONICAL.contains(canonical)) {
                throw new IllegalArgumentException("must list STATUS=value pairs whose STATUS is one of "
                        + String.join(", ", CANONICAL) + "; " + canonical + " is not");
            }
            if (legacy.isEmpty()) {
                throw new IllegalArgumentException("must give " + canonical + " a legacy value (" + canonical
                        + "=...)");
            }
            if (out.put(canonical, legacy) != null) {
                throw new IllegalArgumentException("must name " + canonical + " once");
            }
        }
        return Map.copyOf(out);
    }
}
