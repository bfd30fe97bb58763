package dev.ponte.cli;

import dev.ponte.admin.ApiKeys;
import dev.ponte.admin.Role;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** {@code ponte apikey create|list|revoke}: the admin API's keys (README "Admin API"). Every change is audited. */
@Command(name = "apikey", mixinStandardHelpOptions = true,
        description = {"API keys of the admin API (/api): create one (shown once), list them, revoke one.",
                "Roles: viewer, operator, integrator, admin (README \"Roles\")."})
final class ApiKeyCommand {

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key and print it once: only its salted hash is kept.")
    int create(@Option(names = "--name", required = true, paramLabel = "NAME",
                       description = "Who or what uses it, e.g. monitoring, ana.recepcao") String name,
               @Option(names = "--role", required = true, paramLabel = "ROLE",
                       description = "viewer, operator, integrator or admin") String role) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Role r;
        try {
            r = Role.of(role);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            ApiKeys.Created k = db.inTransaction(c -> {
                ApiKeys.Created created = ApiKeys.create(c, name, r, HubOptions.actor(), Instant.now());
                AuditLog.append(c, HubOptions.actor(), "apikey.create", "apikey/" + created.id(), "name=" + name
                        + " role=" + r.label(), null, Instant.now());
                return created;
            });
            out.println(k.key());
            out.flush();
            err.println("API key " + k.id() + " (" + name + ", " + r.label() + ") created. It is shown only now: store"
                    + " it in a password manager or a secret file; use it as 'Authorization: Bearer <key>'.");
            err.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never their secret).")
    int list() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            List<ApiKeys.Listed> keys = db.inTransaction(ApiKeys::list);
            out.printf("%-12s  %-24s %-10s %-24s %-24s %s%n", "id", "name", "role", "created", "last used", "revoked");
            for (ApiKeys.Listed k : keys) {
                out.printf("%-12s  %-24s %-10s %-24s %-24s %s%n", k.id(), k.name(), k.role().label(), k.createdAt(),
                        k.lastUsedAt() == null ? "never" : k.lastUsedAt(), k.revokedAt() == null ? ""
                                : k.revokedAt());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key by its id or name; requests with it are refused from now on.")
    int revoke(@Parameters(paramLabel = "ID_OR_NAME") String idOrName) {
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            boolean done = db.inTransaction(c -> {
                boolean revoked = ApiKeys.revoke(c, idOrName, HubOptions.actor(), Instant.now());
                if (revoked) {
                    AuditLog.append(c, HubOptions.actor(), "apikey.revoke", "apikey/" + idOrName, null, null,
                            Instant.now());
                }
                return revoked;
            });
            if (!done) {
                spec.commandLine().getErr().println("no key '" + idOrName + "' that is not revoked already");
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine().getOut().println("revoked " + idOrName);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
