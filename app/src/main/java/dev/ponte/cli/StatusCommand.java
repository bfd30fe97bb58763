package dev.ponte.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportRuns;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.util.concurrent.Callable;

/** {@code ponte status}: what the hub holds. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "What the hub holds: records per entity, events, open dead letters by rule, source systems,"
                + " messages, the review list, billing decisions and package balances.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json")
    String format;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            ObjectNode status = db.inTransaction(c -> {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("dataDir", hub.settings().dataDir().toString());
                ObjectNode entities = o.putObject("entities");
                CanonicalStore.countsByType(c).forEach(entities::put);
                ObjectNode events = o.putObject("events");
                events.put("total", EventOutbox.count(c));
                events.put("unpublished", EventOutbox.unpublished(c, Integer.MAX_VALUE).size());
                ObjectNode dead = o.putObject("deadLetters");
                dead.put("open", DeadLetters.list(c, DeadLetters.Filter.OPEN).size());
                ObjectNode byRule = dead.putObject("byRule");
                DeadLetters.openByRule(c).forEach(byRule::put);
                ObjectNode sources = o.putObject("sources");
                ImportRuns.lastImportBySystem(c).forEach((k, v) -> sources.put(k, v.toString()));
                com.fasterxml.jackson.databind.node.ArrayNode refusedMappings = o.putArray("refusedMappingChanges");
                for (dev.ponte.store.MappingHistory.Refusal r : dev.ponte.store.MappingHistory.refusals(c)) {
                    refusedMappings.addObject().put("folder", r.folder()).put("at", r.at().toString())
                            .put("problems", r.problems());
                }
                ObjectNode lastRun = o.putObject("lastImport");
                java.util.Optional<String> run = ImportRuns.latestRun(c);
                if (run.isPresent()) {
                    lastRun.put("run", run.get());
                    ObjectNode files = lastRun.putObject("files"); // file, or file#Entity when a file has several
                    ImportRuns.files(c, run.get()).forEach((name, f) -> files.putObject(name)
                            .put("mapping", f.mapping()).put("rows", f.rowsTotal() == null ? f.rowsDone()
                                    : f.rowsTotal()).put("created", f.created()).put("updated", f.updated())
                            .put("unchanged", f.unchanged()).put("merged", f.merged()).put("rejected", f.rejected()));
                }
                try (ResultSet rs = c.createStatement().executeQuery(
                        "select count(*) from review_candidate where status = 'OPEN'")) {
                    rs.next();
                    o.put("reviewCandidates", rs.getLong(1));
                }
                o.put("auditRows", AuditLog.count(c));
                ObjectNode messages = o.putObject("messages");
                dev.ponte.store.Messages.countsByStatus(c).forEach(messages::put);
                o.put("unreadReplies", dev.ponte.store.Messages.replies(c, "UNKNOWN", Integer.MAX_VALUE).size());
                ObjectNode review = o.putObject("review");
                dev.ponte.store.ReviewList.openByRule(c).forEach(review::put);
                ObjectNode billing = o.putObject("billing");
                dev.ponte.store.ClinicLedger.billedByOutcome(c).forEach(billing::put);
                o.put("paymentsWaitingForTheirCharge", dev.ponte.store.ClinicLedger.pendingPayments(c));
                com.fasterxml.jackson.databind.node.ArrayNode packages = o.putArray("packages");
                for (java.util.Map.Entry<String, String> e : CanonicalStore.payloads(c, "PackageEnrollment")
                        .entrySet()) {
                    com.fasterxml.jackson.databind.JsonNode n;
                    try {
                        n = Json.MAPPER.readTree(e.getValue());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
                        continue;
                    }
                    int total = n.path("sessionsTotal").asInt();
                    int used = n.path("sessionsUsed").asInt(0);
                    packages.addObject().put("enrollment", e.getKey()).put("procedure", n.path("procedureCode")
                            .asText()).put("billingMode", n.path("billingMode").asText()).put("sessionsTotal", total)
                            .put("sessionsUsed", used).put("sessionsBalance", n.path("sessionsBalance")
                                    .asInt(total - used));
                }
                return o;
            });
            if ("json".equals(format)) {
                out.println(status.toPrettyString());
            } else {
                out.println("data directory: " + status.get("dataDir").asText());
                out.println("records:");
                status.get("entities").fields().forEachRemaining(e -> out.printf("  %-20s %,10d%n", e.getKey(),
                        e.getValue().asLong()));
                out.printf("events: %,d (%,d not yet published)%n", status.at("/events/total").asLong(),
                        status.at("/events/unpublished").asLong());
                out.printf("open dead letters: %,d%n", status.at("/deadLetters/open").asLong());
                status.at("/deadLetters/byRule").fields().forEachRemaining(e -> out.printf("  %-32s %,6d%n",
                        e.getKey(), e.getValue().asLong()));
                out.println("sources (last import):");
                status.get("sources").fields().forEachRemaining(e -> out.printf("  %-20s %s%n", e.getKey(),
                        e.getValue().asText()));
                for (com.fasterxml.jackson.databind.JsonNode r : status.get("refusedMappingChanges")) {
                    out.printf("mapping change REFUSED in %s at %s; the previous mappings stay in force until it is "
                            + "fixed:%n", r.get("folder").asText(), r.get("at").asText());
                    r.get("problems").asText().lines().forEach(l -> out.println("  " + l));
                }
                if (status.at("/lastImport/run").isTextual()) {
                    out.printf("last import run %s (per file and entity: rows, created, updated, unchanged, rejected):%n",
                            status.at("/lastImport/run").asText());
                    status.at("/lastImport/files").fields().forEachRemaining(e -> out.printf(
                            "  %-30s %,8d %,8d %,8d %,9d %,8d%n", e.getKey(), e.getValue().get("rows").asLong(),
                            e.getValue().get("created").asLong(), e.getValue().get("updated").asLong(),
                            e.getValue().get("unchanged").asLong(), e.getValue().get("rejected").asLong()));
                }
                out.printf("patients flagged for review (same name and birth date, no CPF): %d%n",
                        status.get("reviewCandidates").asLong());
                out.println("messages to patients (details: ponte messages list --status BLOCKED,FAILED):");
                status.get("messages").fields().forEachRemaining(e -> out.printf("  %-20s %,10d%n", e.getKey(),
                        e.getValue().asLong()));
                out.printf("patients' replies waiting for a person (ponte messages replies --intent UNKNOWN): %d%n",
                        status.get("unreadReplies").asLong());
                out.println("review list, open items by rule (details: ponte review):");
                status.get("review").fields().forEachRemaining(e -> out.printf("  %-32s %,6d%n", e.getKey(),
                        e.getValue().asLong()));
                out.println("billing decisions by outcome:");
                status.get("billing").fields().forEachRemaining(e -> out.printf("  %-32s %,6d%n", e.getKey(),
                        e.getValue().asLong()));
                out.printf("payments waiting for their charge: %d%n", status.get("paymentsWaitingForTheirCharge")
                        .asLong());
                out.println("packages (enrollment  procedure  mode  used/total  balance):");
                int shown = 0;
                for (com.fasterxml.jackson.databind.JsonNode p : status.get("packages")) {
                    if (shown++ == 30) {
                        out.printf("  ... %d more (ponte status --format json)%n", status.get("packages").size() - 30);
                        break;
                    }
                    out.printf("  %-12s %-8s %-12s %3d/%-3d %4d%n", p.get("enrollment").asText(),
                            p.get("procedure").asText(), p.get("billingMode").asText(), p.get("sessionsUsed").asInt(),
                            p.get("sessionsTotal").asInt(), p.get("sessionsBalance").asInt());
                }
            }
            out.flush();
            return 0;
        }
    }
}
