package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The append-only audit log: who did what, to what, when and why (including reads of sensitive data, LGPD). Each row
 * carries the hash of the previous row, so altering or deleting a row breaks the chain and {@link #verify} finds it.
 */
public final class AuditLog {

    static final String GENESIS = "0".repeat(64);

    /** The first row whose hash does not match, and why. */
    public record Break(long seq, String reason) {
    }

    private AuditLog() {
    }

    /** Appends a row on the caller's connection (so it commits with the action it records). */
    public static void append(Connection c, String actor, String action, String target, String detail, String why,
                              Instant now) throws SQLException {
        long seq;
        String prev;
        // the head row is the lock: a second writer waits here and then reads the head the first one moved
        try (PreparedStatement ps = c.prepareStatement(
                "select last_seq, last_hash from audit_head where id = 1 for update");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the audit log's head row (table audit_head, id 1) is missing: the store was"
                        + " altered outside Ponte; `bin/ponte audit verify` shows where the chain stands");
            }
            seq = rs.getLong(1) + 1;
            prev = rs.getString(2);
        }
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        String hash = hash(seq, at, actor, action, target, detail, why, prev);
        try (PreparedStatement ps = c.prepareStatement("insert into audit_log (seq, at, actor, action, target, detail,"
                + " why, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, target);
            ps.setString(6, detail);
            ps.setString(7, why);
            ps.setString(8, prev);
            ps.setString(9, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update audit_head set last_seq = ?, last_hash = ? where id = 1")) {
            ps.setLong(1, seq);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
    }

    static String hash(long seq, Instant at, String actor, String action, String target, String detail, String why,
                       String prev) {
        return Hashes.sha256(String.join("\u001f", String.valueOf(seq), at.toString(), actor, action, target,
                String.valueOf(detail), String.valueOf(why), prev));
    }

    /** Walks the chain from the start; empty when every row is intact. */
    public static Optional<Break> verify(Connection c) throws SQLException {
        String prev = GENESIS;
        long expectedSeq = 1;
        try (PreparedStatement ps = c.prepareStatement("select seq, at, actor, action, target, detail, why, prev_hash,"
                + " hash from audit_log order by seq"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (seq != expectedSeq) {
                    return Optional.of(new Break(expectedSeq, "row " + expectedSeq + " is missing"));
                }
                if (!rs.getString(8).equals(prev)) {
                    return Optional.of(new Break(seq, "prev_hash does not match the hash of row " + (seq - 1)));
                }
                String recomputed = hash(seq, rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), prev);
                if (!recomputed.equals(rs.getString(9))) {
                    return Optional.of(new Break(seq, "its content does not match its hash (altered)"));
                }
                prev = rs.getString(9);
                expectedSeq++;
            }
        }
        return Optional.empty();
    }

    /** One row of the log, as the admin API lists it. */
    public record Entry(long seq, Instant at, String actor, String action, String target, String detail, String why) {
    }

    /** The latest rows, newest first. */
    public static java.util.List<Entry> recent(Connection c, int limit) throws SQLException {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select seq, at, actor, action, target, detail, why from "
                + "audit_log order by seq desc limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_log");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
