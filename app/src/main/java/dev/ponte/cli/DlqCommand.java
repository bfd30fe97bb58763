package dev.ponte.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.hub.PonteHub;
import dev.ponte.inbound.RowOutcome;
import dev.ponte.inbound.RowResult;
import dev.ponte.json.Json;
import dev.ponte.mapping.Mapping;
import dev.ponte.spi.ConnectorContext;
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
import dev.ponte.glossary.Sensitivity;

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
                found.forEach(d -> a.add(summary(d)));
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
            DeadLetter d = found.get();
            ObjectNode o = summary(d);
            o.set("violations", Json.MAPPER.readTree(d.violations()));
            o.set("payload", maskedPayload(prepared, d));
            o.put("firstFailure", d.firstFailure().toString());
            o.put("correlationId", d.correlationId());
            o.put("resolution", d.resolution());
            spec.commandLine().getOut().println(o.toPrettyString());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** The payload with the columns that feed sensitive fields masked; everything but the key when unsure. */
    private static JsonNode maskedPayload(PonteHub prepared, DeadLetter d) throws IOException {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(d.payload());
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode("(" + d.payload().length() + " characters, not JSON)");
        }
        ConnectorContext ctx = prepared.connectors().get(d.connector());
        Optional<Mapping> mapping = ctx == null || ctx.mappings() == null || d.mapping() == null ? Optional.empty()
                : ((dev.ponte.inbound.FolderMappingRegistry) ctx.mappings())
                        .mapping(d.mapping().replaceFirst("@\\d+$", ""));
        java.util.Map<String, Sensitivity> sensitive = mapping.map(Mapping::sensitiveColumns).orElse(null);
        String key = mapping.map(m -> m.source().key()).orElse(null);
        JsonNode values = payload.get("values");
        if (values instanceof ObjectNode v) {
            List<String> cols = new java.util.ArrayList<>();
            v.fieldNames().forEachRemaining(cols::add);
            for (String col : cols) {
                Sensitivity s = sensitive == null ? (col.equals(key) ? Sensitivity.NONE : Sensitivity.PERSONAL)
                        : sensitive.getOrDefault(col, Sensitivity.NONE);
                if (!v.get(col).asText().isEmpty()) {
                    v.put(col, s.mask(v.get(col).asText()));
                }
            }
        }
        return payload;
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
            List<DeadLetter> targets = prepared.database().inTransaction(c -> id != null
                    ? DeadLetters.get(c, id).filter(d -> d.status() == DeadLetter.Status.OPEN).stream().toList()
                    : DeadLetters.list(c, new DeadLetters.Filter(null, rule, null, DeadLetter.Status.OPEN)));
            if (id != null && targets.isEmpty()) {
                spec.commandLine().getErr().println("no open dead letter with id " + id);
                spec.commandLine().getErr().flush();
                return 1;
            }
            int fixed = 0;
            int queued = 0;
            int failing = 0;
            for (DeadLetter d : targets) {
                if (isOutboundCommand(prepared, d)) {
                    // an outbound command: the running hub owns the broker and sends it again to its sink
                    boolean asked = prepared.database().inTransaction(c -> {
                        boolean ok = DeadLetters.requestReplay(c, d.id(), HubOptions.actor());
                        if (ok) {
                            AuditLog.append(c, HubOptions.actor(), "dlq.replay-request", "dead-letter/" + d.id(),
                                    "outbound command for " + d.connector(), null, Instant.now());
                        }
                        return ok;
                    });
                    if (asked) {
                        queued++;
                        out.printf("%6d  queued: the running hub sends it again to %s (within a second; the sink skips "
                                + "what it already delivered)%n", d.id(), d.connector());
                    }
                    continue;
                }
                if (prepared.processor(d.connector()) == null) {
                    out.printf("%6d  skipped: connector '%s' is not configured with mappings%n", d.id(), d.connector());
                    failing++;
                    continue;
                }
                RowResult r;
                try {
                    r = prepared.processor(d.connector()).replay(d.id(), HubOptions.actor());
                } catch (IllegalStateException | IllegalArgumentException e) {
                    out.printf("%6d  not replayable: %s%n", d.id(), e.getMessage());
                    failing++;
                    continue;
                }
                if (r.outcome() == RowOutcome.REJECTED) {
                    failing++;
                    out.printf("%6d  still rejected: %s%n", d.id(), r.violations().stream()
                            .map(v -> v.rule() + " on " + v.sourceField()).toList());
                } else {
                    fixed++;
                    out.printf("%6d  %s%n", d.id(), r.outcome());
                }
            }
            out.printf("%d replayed into the store, %d still failing%s%n", fixed, failing,
                    queued > 0 ? "; " + queued + " queued for their sink" : "");
            out.flush();
            return 0;
        }
    }

    /**
     * Whether a dead letter holds an outbound command of a sink instance, whatever its error class (PERMANENT_REMOTE,
     * RETRIES_EXHAUSTED, INTERNAL): the instance writes (SINK or BOTH), no mapping produced it and its payload reads as
     * a command. Then the running hub sends it again to the sink; otherwise it is replayed through the mapping.
     */
    static boolean isOutboundCommand(PonteHub prepared, DeadLetter d) {
        ConnectorContext ctx = prepared.connectors().get(d.connector());
        if (ctx == null || ctx.config().descriptor().direction() == dev.ponte.spi.Direction.SOURCE
                || d.mapping() != null) {
            return false;
        }
        try {
            dev.ponte.spi.OutboundCommand c = Json.MAPPER.readValue(d.payload(), dev.ponte.spi.OutboundCommand.class);
            return c != null && c.businessKey() != null && c.action() != null;
        } catch (IOException | RuntimeException notACommand) {
            return false; // an inbound chunk, or a message that was not a command (INTERNAL, unreadable-command)
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Close a dead letter without replaying it; the reason is audited.")
    int discard(@Parameters(paramLabel = "ID") long id,
                @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason) {
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            boolean done = db.inTransaction(c -> {
                Optional<DeadLetter> d = DeadLetters.get(c, id).filter(x -> x.status() == DeadLetter.Status.OPEN);
                if (d.isEmpty()) {
                    return false;
                }
                DeadLetters.close(c, id, DeadLetter.Status.DISCARDED, "discarded by " + HubOptions.actor() + ": "
                        + reason);
                AuditLog.append(c, HubOptions.actor(), "dlq.discard", "dead-letter/" + id, null, reason, Instant.now());
                return true;
            });
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

    private static ObjectNode summary(DeadLetter d) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("connector", d.connector());
        o.put("mapping", d.mapping());
        o.put("errorClass", d.errorClass().name());
        ArrayNode rules = o.putArray("rules");
        d.rules().forEach(rules::add);
        o.put("file", d.sourceFile());
        if (d.sourceLine() != null) {
            o.put("line", d.sourceLine());
        }
        o.put("key", d.sourceKey());
        o.put("attempts", d.attempts());
        o.put("lastFailure", d.lastFailure().toString());
        o.put("status", d.status().name());
        return o;
    }
}
