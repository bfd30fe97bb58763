package dev.ponte.admin;

import java.util.Arrays;
import java.util.Locale;

/**
 * The roles of the admin API's keys, least privilege first (README "Roles"). What each may do is {@link Permission}'s
 * table, the one place that says so.
 */
public enum Role {
    /** Counts, health and masked data. */
    VIEWER,
    /** A viewer who also replays and discards dead letters. */
    OPERATOR,
    /** A viewer who also checks and changes mappings and connector configuration. */
    INTEGRATOR,
    /** Everything: keys, and unmasked views of personal data with a stated reason. */
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a label ({@code viewer}...), or an error listing the roles. */
    public static Role of(String label) {
        for (Role r : values()) {
            if (r.label().equals(label == null ? "" : label.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "': one of "
                + Arrays.stream(values()).map(Role::label).toList());
    }
}
