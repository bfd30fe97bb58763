package dev.ponte.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.reconcile.ReconciliationRun;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the demo's day did, flow by flow, read back from the hub's store: one table per flow of counts, what was
 * blocked and why, and the dead letters. Ids and counts only: no personal data.
 *
 * @param flows each flow's rows (label → count), in the order of the day
 */
public record DemoSummary(LocalDate day, Map<String, Map<String, Long>> flows) {

    /** The count of one row of one flow, 0 when absent. */
    public long count(String flow, String row) {
        return flows.getOrDefault(flow, Map.of()).getOrDefault(row, 0L);
    }

    static DemoSummary of(Database db, LocalDate day, ZoneId zone, List<String> dayCodes,
                          ReconciliationRun.Result reconciled, Path legacyOutbox) {
        Map<String, Map<String, Long>> flows = new LinkedHashMap<>();
        db.inTransaction(c -> {
            Map<String, Long> imports = flows.computeIfAbsent("import", k -> new LinkedHashMap<>());
            imports.putAll(rows(c, "select 'rows read', sum(rows_done) from import_file union all "
                    + "select 'created', sum(created) from import_file union all "
                    + "select 'updated', sum(updated) from import_file union all "
                    + "select 'merged (same patient twice)', sum(merged) from import_file union all "
                    + "select 'rejected (dead letters)', sum(rejected) from import_file"));

            // an insert is a POST to .../events; a change goes to .../events/{id} (a PATCH sent as a POST override)
            flows.put("calendar", rows(c, "select case when method = 'DELETE' then 'events removed' when target like "
                    + "'%/events?%' then 'events created' else 'events changed' end, count(*) from sandbox_request "
                    + "where connector = 'agenda' group by 1 order by 1"));

            Set<String> dayIds = new HashSet<>();
            Map<String, String> appointments = new TreeMap<>();
            for (String code : dayCodes) {
                CanonicalStore.referencedId(c, "legacy-clinic", "Appointment", code).ifPresent(id -> {
                    dayIds.add(id);
                    appointments.put(code, id);
                });
            }
            flows.put("reminders", messages(c, "reminder", dayIds));
            flows.put("invitations", messages(c, "invitation", dayIds));

            Map<String, Long> confirmations = rows(c, "select 'replies: ' || lower(intent), count(*) from "
                    + "patient_reply group by intent order by 1");
            confirmations.putAll(rows(c, "select 'answers sent (' || template || ')', count(*) from message where "
                    + "purpose = 'confirmation' and status in ('SENT', 'DELIVERED', 'READ') group by template"));
            confirmations.put("write-back lines for the clinic system", outboxLines(legacyOutbox));
            flows.put("confirmations", confirmations);

            Map<String, Long> attendance = new TreeMap<>();
            for (String id : appointments.values()) {
                CanonicalStore.payload(c, "Appointment", id).map(DemoSummary::tree)
                        .ifPresent(a -> attendance.merge("appointments " + a.path("status").asText(), 1L, Long::sum));
            }
            flows.put("attendance", new LinkedHashMap<>(attendance));

            Map<String, Long> packages = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select type, data from event where type in "
                    + "('package.session-used', 'package.session-released') order by seq");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode data = tree(rs.getString(2));
                    if (dayIds.contains(data.path("appointmentId").asText())) {
                        packages.merge("package.session-used".equals(rs.getString(1)) ? "sessions taken today"
                                : "sessions given back today", 1L, Long::sum);
                    }
                }
            }
            packages.putAll(rows(c, "select 'refused (package-exhausted)', count(*) from dead_letter where status = "
                    + "'OPEN' and rules like '%package-exhausted%'"));
            flows.put("packages", packages);

            Map<String, Long> charges = new LinkedHashMap<>();
            Map<String, Long> payments = new LinkedHashMap<>();
            for (String p : CanonicalStore.payloads(c, "Charge").values()) {
                JsonNode ch = tree(p);
                if (!day.toString().equals(ch.path("dueDate").asText())
                        || !dayIds.contains(ch.path("appointmentId").asText())) {
                    continue;
                }
                charges.merge("charges (payer " + ch.path("payer").asText() + ")", 1L, Long::sum);
                payments.merge("charges " + ch.path("status").asText(), 1L, Long::sum);
            }
            try (PreparedStatement ps = c.prepareStatement("select record_id, rule from clinic_review where "
                    + "resolved_at is null and entity = 'Appointment' order by rule");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (dayIds.contains(rs.getString(1))) {
                        charges.merge("not billed (review list): " + rs.getString(2), 1L, Long::sum);
                    }
                }
            }
            flows.put("charges", charges);
            payments.putAll(rows(c, "select 'payments received', count(*) from xref where system = 'payments' and "
                    + "entity_type = 'Payment'"));
            flows.put("payments", payments);

            Map<String, Long> invoices = new TreeMap<>();
            for (String p : CanonicalStore.payloads(c, "Invoice").values()) {
                JsonNode inv = tree(p);
                invoices.merge(inv.path("kind").asText() + " " + inv.path("status").asText(), 1L, Long::sum);
            }
            Map<String, Long> invoiceRows = new LinkedHashMap<>(invoices);
            invoiceRows.putAll(rows(c, "select 'signed and recorded by ' || connector, count(*) from sandbox_request "
                    + "where connector in ('nfse', 'nfe') group by connector order by 1"));
            flows.put("invoices", invoiceRows);
            flows.put("receipts", messages(c, "receipt", null));

            Map<String, Long> reconciliation = new LinkedHashMap<>();
            reconciled.counts().forEach((rule, n) -> reconciliation.put(rule, (long) n));
            flows.put("reconciliation (every day up to this one: the export's history too)", reconciliation);

            flows.put("dead letters", rows(c, "select trim(both ',' from rules), count(*) from dead_letter where "
                    + "status = 'OPEN' group by rules order by 2 desc, 1"));
            return null;
        });
        return new DemoSummary(day, flows);
    }

    /** Messages of a purpose (of the day's appointments, when given) by outcome, with the reasons of the blocked. */
    private static Map<String, Long> messages(Connection c, String purpose, Set<String> appointments)
            throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select status, channel, appointment_id, reason from message "
                + "where purpose = ?")) {
            ps.setString(1, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (appointments != null && !appointments.contains(rs.getString(3))) {
                        continue;
                    }
                    String status = rs.getString(1);
                    String row = switch (status) {
                        case "SENT", "DELIVERED", "READ" -> "sent by " + rs.getString(2);
                        case "BLOCKED", "FAILED" -> status.toLowerCase() + ": " + reason(rs.getString(4));
                        default -> status.toLowerCase();
                    };
                    out.merge(row, 1L, Long::sum);
                }
            }
        }
        return new LinkedHashMap<>(out);
    }

    private static String reason(String reason) {
        if (reason == null) {
            return "?";
        }
        return reason.length() <= 60 ? reason : reason.substring(0, 59) + "…";
    }

    private static long outboxLines(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            long n = 0;
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("agenda-status-")).toList()) {
                n += Math.max(0, Files.readAllLines(f, StandardCharsets.ISO_8859_1).stream()
                        .filter(l -> !l.isBlank()).count() - 1);
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Long> rows(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(2);
                if (!rs.wasNull()) {
                    out.put(rs.getString(1), n);
                }
            }
        }
        return out;
    }

    private static JsonNode tree(String payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One table per flow; a flow with nothing to show says so. */
    public void print(PrintWriter out) {
        out.println();
        out.println("== The day " + day + ", flow by flow");
        for (Map.Entry<String, Map<String, Long>> flow : flows.entrySet()) {
            out.println();
            out.println(flow.getKey());
            if (flow.getValue().isEmpty()) {
                out.println("  (nothing)");
            }
            flow.getValue().forEach((row, n) -> out.printf("  %-58s %6d%n", row, n));
        }
        out.flush();
    }

}
