package dev.ponte.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Ids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One reconciliation of a day, done: the findings ({@link Reconciliation}), a CSV and a JSON report
 * ({@code reconcile-<day>.csv}, {@code .json}) in a folder, and an event {@value #EVENT_TYPE} per finding with an
 * audit entry, in one transaction. Running the same day again writes the reports again and publishes only findings
 * not published before for that day (the outbox's dedupe key {@code reconcile|<day>|<rule>|<id>}).
 */
public final class ReconciliationRun {

    /** The event of a finding; not a record change, so no sink takes it. */
    public static final String EVENT_TYPE = "reconciliation.finding";
    /** The events' source. */
    public static final String SOURCE = "ponte://hub/reconcile";

    /** What a run gave: its findings, their counts by rule, and where the reports are. */
    public record Result(LocalDate day, List<Reconciliation.Finding> findings, Map<String, Integer> counts,
                         Path csv, Path json) {
    }

    private ReconciliationRun() {
    }

    /**
     * Reconciles {@code day}.
     *
     * @param actor who asked ({@code hub} for the scheduled run, the admin's name for the command)
     * @param clinic the clinic id of the events
     */
    public static Result run(Database db, Reconciliation reconciliation, LocalDate day, Path folder, String actor,
                             String clinic, Instant now) throws IOException {
        List<Reconciliation.Finding> findings = db.inTransaction(c -> {
            List<Reconciliation.Finding> found = reconciliation.run(c, day);
            for (Reconciliation.Finding f : found) {
                String key = "reconcile|" + day + "|" + f.rule() + "|" + f.id();
                if (EventOutbox.seen(c, f.entity() + "/" + f.id(), key)) {
                    continue; // published by an earlier run of this day
                }
                ObjectNode data = Json.MAPPER.createObjectNode().put("day", day.toString()).put("rule", f.rule())
                        .put("entity", f.entity()).put("id", f.id()).put("detail", f.detail());
                EventOutbox.append(c, new CanonicalEvent(Ids.newId(), SOURCE, EVENT_TYPE, f.entity() + "/" + f.id(),
                        now, clinic, null, "reconcile:" + day, null, data.toString()), key);
            }
            AuditLog.append(c, actor, "reconcile.run", "day/" + day, found.size() + " finding(s): "
                    + Reconciliation.counts(found), null, now);
            return found;
        });
        Map<String, Integer> counts = Reconciliation.counts(findings);
        Files.createDirectories(folder);
        Path csv = folder.resolve("reconcile-" + day + ".csv");
        Path json = folder.resolve("reconcile-" + day + ".json");
        StringBuilder text = new StringBuilder("rule;entity;id;detail\n");
        for (Reconciliation.Finding f : findings) {
            text.append(f.rule()).append(';').append(f.entity()).append(';').append(f.id()).append(';')
                    .append(f.detail().replace(';', ',')).append('\n');
        }
        write(csv, text.toString());
        ObjectNode report = Json.MAPPER.createObjectNode().put("day", day.toString()).put("generatedAt",
                now.toString());
        report.set("counts", Json.MAPPER.valueToTree(counts));
        ArrayNode list = report.putArray("findings");
        findings.forEach(f -> list.add(Json.MAPPER.valueToTree(f)));
        write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return new Result(day, findings, counts, csv, json);
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
