package dev.ponte.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.admin.DeadLetterActions;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code ponte dlq ...}: see, fix and replay what could not go through. Every action is audited. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Dead letters: records that could not go through, with why.",
                "Fix the mapping (or the source data) and replay: replay runs the current mapping."})
final class DlqCommand {

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List open dead letters.")
    int list(@Option(names = "--connector", paramLabel = "C") String connector,
             @Option(names = "--rule", paramLabel = "R") String rule,
             @Option(names = "--since", paramLabel = "T", description = "ISO instant, e.g. 2026-11-23T00:00:00Z")
             Instant since,
             @Option(names = "--format", defaultValue = "text", description = "text or json") String format) {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            List<DeadLetter> found = db.inTransaction(c -> {
                AuditLog.append(c, HubOptions.actor(), "dlq.list", "dead-letters", "connector=" + connector + " rule="
                        + rule + " since=" + since, null, Instant.now());
                return DeadLetters.list(c, new DeadLetters.Filter(connector, rule, since, DeadLetter.Status.OPEN));
            });
            if ("json".equals(format)) {
                ArrayNode a = Json.MAPPER.createArrayNode();
                found.forEach(d -> a.add(DeadLetterActions.summary(d)));
                out.println(a.toPrettyString());
            } else {
                out.printf("%6s  %-10s %-28s %-17s %-6s %-8s %s%n", "id", "connector", "mapping", "error", "line",
                        "key", "rules");
                for (DeadLetter d : found) {
                    out.printf("%6d  %-10s %-28s %-17s %-6s %-8s %s%n", d.id(), d.connector(), d.mapping(),
                            d.errorClass(), d.sourceLine() == null ? "" : d.sourceLine(),
                            d.sourceKey() == null ? "" : d.sourceKey(), String.join(",", d.rules()));
                }
                out.printf("%d open dead letter(s)%n", found.size());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one dead letter; values of sensitive fields are masked.")
    int show(@Parameters(paramLabel = "ID") long id) throws IOException {
        try (PonteHub prepared = PonteHub.prepare(hub.settings())) {
            Optional<DeadLetter> found = prepared.database().inTransaction(c -> {
                AuditLog.append(c, HubOptions.actor(), "dlq.show", "dead-letter/" + id, "masked view", null,
                        Instant.now());
                return DeadLetters.get(c, id);
            });
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("no dead letter with id " + id);
                spec.commandLine().getErr().flush();
                return 1;
            }
            ObjectNode o = DeadLetterActions.show(prepared, found.get());
            spec.commandLine().getOut().println(o.toPrettyString());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay dead letters through the current mapping; those that now go through are closed.")
    int replay(@Parameters(paramLabel = "ID", arity = "0..1") Long id,
               @Option(names = "--all") boolean all,
               @Option(names = "--rule", paramLabel = "R") String rule) {
        PrintWriter out = spec.commandLine().getOut();
        if ((id != null ? 1 : 0) + (all ? 1 : 0) + (rule != null ? 1 : 0) != 1) {
            spec.commandLine().getErr().println("give exactly one of ID, --all or --rule R");
            spec.commandLine().getErr().flush();
            return 2;
        }
        try (PonteHub prepared = PonteHub.prepare(hub.settings())) {
            List<DeadLetter> targets = DeadLetterActions.openTargets(prepared.database(), id, rule);
            if (id != null && targets.isEmpty()) {
                spec.commandLine().getErr().println("no open dead letter with id " + id);
                spec.commandLine().getErr().flush();
                return 1;
            }
            int fixed = 0;
            int queued = 0;
            int failing = 0;
            for (DeadLetter d : targets) {
                DeadLetterActions.ReplayResult r = DeadLetterActions.replay(prepared, d, HubOptions.actor());
                switch (r.what()) {
                    case QUEUED -> {
                        queued++;
                        out.printf("%6d  queued: %s%n", d.id(), r.detail());
                    }
                    case STORED -> {
                        fixed++;
                        out.printf("%6d  %s%n", d.id(), r.detail());
                    }
                    case STILL_REJECTED -> {
                        failing++;
                        out.printf("%6d  still rejected: %s%n", d.id(), r.detail());
                    }
                    case NOT_REPLAYABLE -> {
                        failing++;
                        out.printf("%6d  not replayable: %s%n", d.id(), r.detail());
                    }
                    case SKIPPED -> {
                        failing++;
                        out.printf("%6d  skipped: %s%n", d.id(), r.detail());
                    }
                }
            }
            out.printf("%d replayed into the store, %d still failing%s%n", fixed, failing,
                    queued > 0 ? "; " + queued + " queued for their sink" : "");
            out.flush();
            return 0;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Close a dead letter without replaying it; the reason is audited.")
    int discard(@Parameters(paramLabel = "ID") long id,
                @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason) {
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            boolean done = DeadLetterActions.discard(db, id, HubOptions.actor(), reason);
            if (!done) {
                spec.commandLine().getErr().println("no open dead letter with id " + id);
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine().getOut().println("discarded " + id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
