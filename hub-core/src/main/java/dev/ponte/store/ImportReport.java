package dev.ponte.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * The JSON report of an import run:
 * {@code {"run", "files": {"agenda.csv": {"rows", "created", "updated", "unchanged", "merged", "rejected",
 * "rejectedRows": [{"line", "key", "sourceField", "rule", "deadLetter"}]}}}}.
 */
public final class ImportReport {

    private ImportReport() {
    }

    /**
     * Writes {@code <dir>/<file>.report.json} once every row of the file went through. Called after each processed
     * chunk and once more when the file has been read to the end (the last chunk may be done before the count of
     * rows is known, and a file without rows has no chunk at all). Safe to call twice: the same report is written.
     */
    public static void writeIfComplete(Database db, String runId, String file, java.nio.file.Path dir)
            throws IOException {
        ObjectNode report = db.inTransaction(c -> {
            ImportRuns.FileCounts counts = ImportRuns.files(c, runId).get(file);
            return counts != null && counts.complete() ? of(c, runId, file) : null;
        });
        if (report != null) {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(dir, file, ".tmp");
            java.nio.file.Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report));
            java.nio.file.Files.move(tmp, dir.resolve(file + ".report.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The report of a whole run, or of one file when {@code onlyFile} is given. */
    public static ObjectNode of(Connection c, String runId, String onlyFile) throws SQLException {
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("run", runId);
        ObjectNode files = report.putObject("files");
        for (Map.Entry<String, ImportRuns.FileCounts> e : ImportRuns.files(c, runId).entrySet()) {
            if (onlyFile != null && !onlyFile.equals(e.getKey())) {
                continue;
            }
            ImportRuns.FileCounts f = e.getValue();
            ObjectNode o = files.putObject(e.getKey());
            o.put("mapping", f.mapping());
            o.put("rows", f.rowsTotal() == null ? f.rowsDone() : f.rowsTotal());
            o.put("created", f.created());
            o.put("updated", f.updated());
            o.put("unchanged", f.unchanged());
            o.put("merged", f.merged());
            o.put("rejected", f.rejected());
            o.put("complete", f.complete());
            rejectedRows(c, runId, e.getKey(), o.putArray("rejectedRows"));
        }
        return report;
    }

    private static void rejectedRows(Connection c, String runId, String file, ArrayNode out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, source_line, source_key, violations from dead_letter"
                + " where correlation_id = ? and source_file = ? order by source_line")) {
            ps.setString(1, runId);
            ps.setString(2, file);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode first;
                    try {
                        first = Json.MAPPER.readTree(rs.getString(4)).path(0);
                    } catch (IOException e) {
                        first = Json.MAPPER.createObjectNode();
                    }
                    ObjectNode row = out.addObject();
                    row.put("line", rs.getLong(2));
                    row.put("key", rs.getString(3));
                    row.set("sourceField", first.get("sourceField"));
                    row.set("rule", first.get("rule"));
                    row.put("deadLetter", rs.getLong(1));
                }
            }
        }
    }
}
