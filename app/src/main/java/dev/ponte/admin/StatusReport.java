package dev.ponte.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportRuns;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the hub holds, as {@code bin/ponte status --format json} and {@code GET /api/status} give it: records per
 * entity, events, open dead letters by rule, sources, the last import, messages, the review list, billing and package
 * balances. Counts and ids only: no personal data.
 */
public final class StatusReport {

    private StatusReport() {
    }

    public static ObjectNode of(Connection c, Path dataDir) throws SQLException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("dataDir", dataDir.toString());
        ObjectNode entities = o.putObject("entities");
        CanonicalStore.countsByType(c).forEach(entities::put);
        ObjectNode events = o.putObject("events");
        events.put("total", EventOutbox.count(c));
        events.put("unpublished", EventOutbox.countUnpublished(c));
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
    }
}
