package dev.ponte.store;

import dev.ponte.json.Json;
import dev.ponte.spi.SandboxRecorder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The requests connectors in sandbox mode would have sent, kept in the store in the order they were built. */
public final class SandboxRequests implements SandboxRecorder {

    /** One recorded request. */
    public record Request(long id, String connector, String businessKey, String method, String target,
                          Map<String, String> headers, String body, Instant recordedAt) {
    }

    private final Database db;
    private final Clock clock;

    public SandboxRequests(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void record(String instance, String businessKey, String method, String target, Map<String, String> headers,
                       String body) {
        String headerJson;
        try {
            headerJson = Json.MAPPER.writeValueAsString(new TreeMap<>(headers));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize request headers", e);
        }
        db.inTransaction(c -> Sql.update(c, "insert into sandbox_request (connector, business_key, method, target, "
                + "headers, body, recorded_at) values (?, ?, ?, ?, ?, ?, ?)", instance, businessKey, method, target,
                headerJson, body, clock.instant()));
    }

    /** The requests of one instance ({@code null} for all), oldest first. */
    public static List<Request> list(Connection c, String instance) throws SQLException {
        List<Request> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, connector, business_key, method, target, headers, "
                + "body, recorded_at from sandbox_request where ? is null or connector = ? order by id")) {
            Sql.bind(ps, instance, instance);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> headers = Json.MAPPER.readValue(rs.getString(6),
                            new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, String>>() { });
                    out.add(new Request(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), headers, rs.getString(7), rs.getTimestamp(8).toInstant()));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new StoreException("sandbox_request holds headers that are not JSON", e);
            }
        }
        return out;
    }
}
