package dev.ponte.connectors.legacyjdbc;

import dev.ponte.inbound.InboundChunk;
import dev.ponte.inbound.RawRecord;
import dev.ponte.json.Json;
import dev.ponte.mapping.Mapping;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.store.ConnectorState;
import dev.ponte.store.Database;
import dev.ponte.store.ImportRuns;
import org.apache.camel.ProducerTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
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

    private final ConnectorConfig config;
    private final Database hubDb;
    private final ProducerTemplate producer;
    private final String inboundUri;

    TablePoller(ConnectorConfig config, Database hubDb, ProducerTemplate producer, String inboundUri) {
        this.config = config;
        this.hubDb = hubDb;
        this.producer = producer;
        this.inboundUri = inboundUri;
    }

    /** Polls one table until no new rows are left; returns how many rows were sent. */
    long poll(Mapping mapping, String runId) throws Exception {
        String table = mapping.source().table();
        String wm = mapping.source().watermark();
        String stateKey = "watermark:" + table;
        int batch = config.integer("batch-size");
        long sent = 0;
        try (Connection legacy = DriverManager.getConnection(config.string("url"), config.string("user"),
                config.string("password"))) {
            while (true) {
                String last = hubDb.inTransaction(c -> ConnectorState.state(c, config.instance(), stateKey)).orElse(null);
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
                    throw new SQLException(config.fullKey("url") + ": polling " + table + " failed: " + e.getMessage()
                            + " (check source.table and source.watermark in " + mapping.id() + ")", e);
                }
                if (rows.isEmpty()) {
                    return sent;
                }
                InboundChunk chunk = new InboundChunk(config.instance(), mapping.source().system(), mapping.name(),
                        table, runId, runId, null, rows);
                long total = sent + rows.size();
                hubDb.inTransaction(c -> {
                    ImportRuns.start(c, runId, config.instance(), mapping.source().system(), Instant.now());
                    return null;
                });
                producer.sendBodyAndHeader(inboundUri, Json.MAPPER.writeValueAsString(chunk), "JMSCorrelationID", runId);
                String mark = newest;
                hubDb.inTransaction(c -> {
                    ConnectorState.saveState(c, config.instance(), stateKey, mark);
                    ImportRuns.fileRead(c, runId, table, mapping.id(), total);
                    return null;
                });
                sent = total;
            }
        }
    }
}
