package dev.ponte.admin;

import java.util.EnumSet;
import java.util.Set;

import static dev.ponte.admin.Role.ADMIN;
import static dev.ponte.admin.Role.INTEGRATOR;
import static dev.ponte.admin.Role.OPERATOR;
import static dev.ponte.admin.Role.VIEWER;

/** What an API endpoint needs, and the roles that have it: the permission table of README "Roles". */
public enum Permission {
    /** Status, health, connectors, counts, dead letters and audit with personal data masked. */
    READ(VIEWER, OPERATOR, INTEGRATOR, ADMIN),
    /** Replay and discard dead letters. */
    OPERATE(OPERATOR, ADMIN),
    /** Check mappings and connector configuration. */
    CONFIGURE(INTEGRATOR, ADMIN),
    /** Create, list and revoke API keys; unmasked views of personal data, with a reason. */
    ADMINISTER(ADMIN);

    private final Set<Role> roles;

    Permission(Role first, Role... rest) {
        this.roles = EnumSet.of(first, rest);
    }

    public boolean grantedTo(Role role) {
        return roles.contains(role);
    }

    public Set<Role> roles() {
        return Set.copyOf(roles);
    }
}
