package dev.ponte.cli;

import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.store.Database;
import dev.ponte.store.SandboxRequests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code ponte sandbox list}: what connectors in sandbox mode would have sent. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Requests recorded by connector instances in sandbox mode (sandbox=true), instead of sent.")
final class SandboxCommand {

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One JSON line per recorded request, oldest first: connector, business key, method, target, "
                    + "headers (credentials are never recorded) and body.")
    int list(@Option(names = "--connector", paramLabel = "INSTANCE", description = "only this instance")
             String connector) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            List<SandboxRequests.Request> requests = db.inTransaction(c -> SandboxRequests.list(c, connector));
            for (SandboxRequests.Request r : requests) {
                out.println(Json.MAPPER.writeValueAsString(r));
            }
            out.flush();
            return 0;
        }
    }
}
