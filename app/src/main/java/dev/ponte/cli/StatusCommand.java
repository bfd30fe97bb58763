package dev.ponte.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.admin.StatusReport;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
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
            ObjectNode status = db.inTransaction(c -> StatusReport.of(c, hub.settings().dataDir()));
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
