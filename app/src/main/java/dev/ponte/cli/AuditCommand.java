package dev.ponte.cli;

import dev.ponte.hub.PonteHub;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Optional;

/** {@code ponte audit verify}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The hash-chained audit log.")
final class AuditCommand {

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that no audit row was altered or removed; exit 1 naming the first bad row.")
    int verify() {
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            Optional<AuditLog.Break> broken = db.inTransaction(AuditLog::verify);
            long rows = db.inTransaction(AuditLog::count);
            if (broken.isPresent()) {
                spec.commandLine().getErr().printf("audit log broken at row %d: %s%n", broken.get().seq(),
                        broken.get().reason());
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine().getOut().printf("audit log intact: %d row(s)%n", rows);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
