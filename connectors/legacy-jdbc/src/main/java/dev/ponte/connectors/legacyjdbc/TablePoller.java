package dev.ponte.connectors.legacyjdbc;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorStateStore;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.RawRecord;
import dev.ponte.spi.SourceMapping;
import dev.ponte.spi.SourcePoll;
import dev.ponte.spi.SourceReadException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One poll of one table: rows above the stored watermark, in watermark order, sent in batches; the watermark is
 * saved after each batch is on the broker (a crash in between re-sends the batch, which the hub's deduplication
 * turns into UNCHANGED rows).
 */
final class TablePoller {

    private final ConnectorContext ctx;
    private final ConnectorConfig config;

    TablePoller(ConnectorContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /**
     * Polls every jdbc mapping's table, in reference order, until no new rows are left in each.
     *
     * @throws SourceReadException when the database cannot be read, saying what to fix
     */
    long pollAll(String runId, SourcePoll.Progress progress) {
        long total = 0;
        for (SourceMapping m : ctx.mappings().inReferenceOrder()) {
            if ("jdbc".equals(m.format())) {
                total += poll(m, runId, progress);
            }
        }
        return total;
    }

    /** Polls one table until no new rows are left; returns how many rows were sent. */
    long poll(SourceMapping mapping, String runId, SourcePoll.Progress progress) {
        String table = mapping.table();
        String wm = mapping.watermark();
        String stateKey = "watermark:" + table;
        int batch = config.integer("batch-size");
        long sent = 0;
        try (Connection legacy = connect()) {
            while (true) {
                java.util.Optional<ConnectorStateStore.Versioned> stored = ctx.state().get(stateKey);
                String last = stored.map(ConnectorStateStore.Versioned::value).orElse(null);
                long version = stored.map(ConnectorStateStore.Versioned::version).orElse(ConnectorStateStore.ABSENT);
                List<RawRecord> rows = new ArrayList<>();
                String newest = last;
                String sql = "select * from " + table + (last == null ? "" : " where " + wm + " > ?") + " order by "
                        + wm + " limit " + batch;
                try (PreparedStatement ps = legacy.prepareStatement(sql)) {
                    if (last != null) {
                        ps.setString(1, last);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, String> values = new LinkedHashMap<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                String v = rs.getString(i);
                                values.put(md.getColumnLabel(i).toUpperCase(java.util.Locale.ROOT), v == null ? "" : v);
                            }
                            newest = rs.getString(wm);
                            rows.add(new RawRecord(sent + rows.size() + 1, values, null));
                        }
                    }
                } catch (SQLException e) {
                    throw new SourceReadException(config.fullKey("url") + ": polling " + table + " failed: "
                            + e.getMessage() + " (check source.table and source.watermark in " + mapping.id() + ")", e);
                }
                if (rows.isEmpty()) {
                    return sent;
                }
                InboundChunk chunk = new InboundChunk(config.instance(), mapping.system(), mapping.name(),
                        table, runId, runId, null, rows);
                long total = sent + rows.size();
                ctx.imports().runStarted(runId, mapping.system());
                ctx.inbound().send(chunk);
                if (!ctx.state().put(stateKey, newest, version)) {
                    // another poller (a second hub on the same store) moved the watermark: its rows are its own
                    throw new IllegalStateException(config.instance() + ": the watermark of " + table + " changed"
                            + " while this poll ran; another poller shares this instance's state. The batch already"
                            + " sent is deduplicated by the hub; polling resumes from the stored watermark");
                }
                ctx.imports().sourceRead(runId, table, mapping.id(), total);
                sent = total;
                progress.sent(table, sent);
            }
        } catch (SQLException e) {
            throw new SourceReadException(config.fullKey("url") + ": " + e.getMessage(), e);
        }
    }

    /** A connection to the legacy database; a missing driver or a refused login said in words. */
    Connection connect() throws SQLException {
        String url = config.string("url");
        try {
            return DriverManager.getConnection(url, config.string("user"), config.string("password"));
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                String scheme = url.split(":").length > 1 ? url.split(":")[1] : url;
                throw new SourceReadException(config.fullKey("url") + ": no JDBC driver for '" + scheme
                        + "' databases is on the class path: put the database's JDBC driver jar in the ext/ folder"
                        + " of the installation (bin/ponte adds ext/*.jar) and start again", e);
            }
            throw e;
        }
    }
}
