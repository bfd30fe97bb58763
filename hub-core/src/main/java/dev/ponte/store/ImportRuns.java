package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Import runs and their per-file counters, kept in step with the records in the same transactions. */
public final class ImportRuns {

    /** Counters of one file of a run; {@code rowsTotal} is null until the reader has finished the file. */
    public record FileCounts(String file, String mapping, Long rowsTotal, long rowsDone, long created, long updated,
                             long unchanged, long merged, long rejected) {
        public boolean complete() {
            return rowsTotal != null && rowsDone >= rowsTotal;
        }
    }

    /** What one chunk adds to a file's counters. */
    public record Delta(long rows, long created, long updated, long unchanged, long merged, long rejected) {
    }

    private ImportRuns() {
    }

    public static void start(Connection c, String runId, String connector, String system, Instant now)
            throws SQLException {
        // "on conflict do nothing" (PostgreSQL, and H2 in its PostgreSQL mode) is atomic, where "insert ... where not
        // exists" lets the reader and the hub's consumer both insert the same row at once (a unique-key clash seen in
        // InboxImportIT and CalendarSyncIT that sent a good file to failed/)
        Sql.update(c, "insert into import_run (id, connector, system, started_at) values (?, ?, ?, ?)"
                + " on conflict do nothing", runId, connector, system, now);
    }

    private static void ensureFile(Connection c, String runId, String file, String mapping) throws SQLException {
        Sql.update(c, "insert into import_file (run_id, file_name, mapping) values (?, ?, ?) on conflict do nothing",
                runId, file, mapping);
    }

    public static void add(Connection c, String runId, String file, String mapping, Delta d) throws SQLException {
        ensureFile(c, runId, file, mapping);
        Sql.update(c, "update import_file set rows_done = rows_done + ?, created = created + ?, updated = updated + ?,"
                + " unchanged = unchanged + ?, merged = merged + ?, rejected = rejected + ? where run_id = ?"
                + " and file_name = ?", d.rows(), d.created(), d.updated(), d.unchanged(), d.merged(), d.rejected(),
                runId, file);
    }

    /** The reader finished a file: it had {@code rows} rows. */
    public static void fileRead(Connection c, String runId, String file, String mapping, long rows) throws SQLException {
        ensureFile(c, runId, file, mapping);
        Sql.update(c, "update import_file set rows_total = ? where run_id = ? and file_name = ?", rows, runId, file);
    }

    public static Map<String, FileCounts> files(Connection c, String runId) throws SQLException {
        Map<String, FileCounts> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select file_name, mapping, rows_total, rows_done, created,"
                + " updated, unchanged, merged, rejected from import_file where run_id = ? order by file_name")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long total = rs.getLong(3);
                    Long rowsTotal = rs.wasNull() ? null : total;
                    out.put(rs.getString(1), new FileCounts(rs.getString(1), rs.getString(2), rowsTotal,
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                }
            }
        }
        return out;
    }

    /** The run that started last, if any. */
    public static java.util.Optional<String> latestRun(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from import_run order by started_at desc, id desc"
                + " fetch first 1 rows only"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
        }
    }

    /** Last import start per source system. */
    public static Map<String, Instant> lastImportBySystem(Connection c) throws SQLException {
        Map<String, Instant> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select coalesce(system, connector), max(started_at)"
                + " from import_run group by coalesce(system, connector) order by 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        }
        return out;
    }
}
