package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Events are appended in the same transaction as the change they describe, then published by the hub's publisher
 * route and marked published. A crash between the two publishes the event again (at least once); subscribers
 * deduplicate by event id.
 */
public final class EventOutbox {

    private EventOutbox() {
    }

    /** Appends an event; {@code dedupeKey} is (system, source id, content hash) of the record that caused it. */
    public static void append(Connection c, CanonicalEvent e, String dedupeKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into event (id, type, source, subject, time, clinic,"
                + " mapping, correlation_id, causation_id, dedupe_key, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.id());
            ps.setString(2, e.type());
            ps.setString(3, e.source());
            ps.setString(4, e.subject());
            ps.setTimestamp(5, Timestamp.from(e.time()));
            ps.setString(6, e.clinic());
            ps.setString(7, e.mapping());
            ps.setString(8, e.correlationId());
            ps.setString(9, e.causationId());
            ps.setString(10, dedupeKey);
            ps.setString(11, e.data());
            ps.executeUpdate();
        }
    }

    /** Whether an event was already appended for this (system, type, source id, content hash). */
    public static boolean seen(Connection c, String dedupeKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from event where dedupe_key = ? limit 1")) {
            ps.setString(1, dedupeKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Up to {@code max} unpublished events, oldest first. */
    public static List<CanonicalEvent> unpublished(Connection c, int max) throws SQLException {
        List<CanonicalEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, source, type, subject, time, clinic, mapping,"
                + " correlation_id, causation_id, data from event where published = false order by seq limit ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CanonicalEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10)));
                }
            }
        }
        return out;
    }

    public static void markPublished(Connection c, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update event set published = true where id = ?")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from event"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
