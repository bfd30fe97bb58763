package dev.ponte.cli;

import dev.ponte.hub.PonteHub;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code ponte run}: the hub as a service. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the hub: watch the inboxes, serve webhooks and /health on localhost, publish events.",
                "Stops gracefully on Ctrl-C or SIGTERM (messages in flight are finished or left on the queue)"
                        + " within 10 s: exit code 0, or 1 when something had to be cut short."})
final class RunCommand implements Callable<Integer> {

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PonteHub running = PonteHub.prepare(hub.settings()).start(true);
        var out = spec.commandLine().getOut();
        out.printf("Ponte is running (data in %s).%n", running.settings().dataDir());
        running.connectors().forEach((name, ctx) -> {
            if (ctx.config().has("inbox")) {
                out.printf("  %s: drop export files in %s%n", name, ctx.config().path("inbox").toAbsolutePath());
            }
        });
        String base = "http://" + running.settings().get("ponte.http.host") + ":"
                + running.settings().get("ponte.http.port");
        out.printf("  console: %s/ (sign in with an API key)%n", base);
        out.printf("  health: %s/health%n", base);
        out.printf("  admin API: %s/api (described at %s/api/openapi.json; a key: bin/ponte apikey create --name N"
                + " --role viewer)%n  stop with Ctrl-C%n", base, base);
        out.flush();
        return running.awaitShutdown() ? 0 : 1;
    }
}
