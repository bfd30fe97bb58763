package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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

    /**
     * Whether an event about {@code subject} was already appended for this dedupe key (the (system, type, source id,
     * content hash) of a record change, or a flow's own key). Looked up through the record's events (index
     * {@code event_subject}: a handful of rows), not through an index of the keys themselves, which cost every
     * event of a bulk import an insert of its ~150-character key (dropped by V13).
     */
    public static boolean seen(Connection c, String subject, String dedupeKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from event where subject = ? and dedupe_key = ?"
                + " limit 1")) {
            ps.setString(1, subject);
            ps.setString(2, dedupeKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The publisher's query (package-private for the test of its plan). */
    static final String UNPUBLISHED = "select id, source, type, subject, time, clinic, mapping, correlation_id,"
            + " causation_id, data from event where published = false order by published, seq limit ?";

    /**
     * Up to {@code max} unpublished events, oldest first. Ordered by {@code (published, seq)}, the columns of the
     * index {@code event_unpublished}, so that H2 reads the first {@code max} rows of that index: ordered by
     * {@code seq} alone it collected and sorted every unpublished event (data included) at each look, which made the
     * publisher of a bulk import quadratic (100k import: 59 % of the hub's CPU samples; 114 s, 80 s once fixed).
     */
    public static List<CanonicalEvent> unpublished(Connection c, int max) throws SQLException {
        List<CanonicalEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNPUBLISHED)) {
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

    /**
     * Deletes up to {@code max} published events older than {@code before}, oldest first, and returns how many (the
     * retention of {@code ponte.events.retention-days}). Unpublished events are never deleted, whatever their age.
     * An event deleted here is no longer there to say that its content was taken in before: a record that goes back
     * to a content it had before the retention period is applied again, as a change.
     */
    public static int purgePublished(Connection c, Instant before, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from event where seq in (select seq from event where"
                + " published = true and time < ? order by published, seq limit ?)")) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, max);
            return ps.executeUpdate();
        }
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from event"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Events not yet published (counted through the index on {@code published}). */
    public static long countUnpublished(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from event where published = false");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
