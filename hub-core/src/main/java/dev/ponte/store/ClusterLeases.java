package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases on the database: which hub runs a piece of work that must run once ({@code cluster_lease}). A lease is
 * taken, renewed or released in one short transaction with its row locked, so two hubs asking at the same moment get
 * one answer; times come from the asking hub's clock, so the clocks of the hubs' machines must agree to well within
 * a lease (NTP).
 */
public final class ClusterLeases {

    /** Who holds a lease and until when. */
    public record Lease(String name, String holder, Instant acquiredAt, Instant expiresAt) {
        public boolean heldBy(String member, Instant now) {
            return holder.equals(member) && expiresAt.isAfter(now);
        }
    }

    private ClusterLeases() {
    }

    /**
     * Takes or renews the lease {@code name} for {@code member} until {@code now + duration}: when nobody holds it,
     * when {@code member} already does, or when the holder's lease has expired.
     *
     * @return the lease as it stands after the call: held by {@code member} when it got it, else by its holder
     */
    public static Lease acquire(Connection c, String name, String member, Duration duration, Instant now)
            throws SQLException {
        Optional<Lease> current = read(c, name, true);
        Instant until = now.plus(duration);
        if (current.isEmpty()) {
            java.sql.Savepoint before = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("insert into cluster_lease (name, holder, acquired_at,"
                    + " expires_at) values (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, member);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setTimestamp(4, Timestamp.from(until));
                ps.executeUpdate();
                c.releaseSavepoint(before);
                return new Lease(name, member, now, until);
            } catch (SQLException e) {
                // another hub inserted it at the same moment (its row did not exist for our lock): it holds it
                c.rollback(before);
                return read(c, name, false).orElseThrow(() -> e);
            }
        }
        Lease lease = current.get();
        boolean mine = lease.holder().equals(member);
        if (!mine && lease.expiresAt().isAfter(now)) {
            return lease;
        }
        Instant acquired = mine && lease.expiresAt().isAfter(now) ? lease.acquiredAt() : now;
        try (PreparedStatement ps = c.prepareStatement("update cluster_lease set holder = ?, acquired_at = ?,"
                + " expires_at = ? where name = ?")) {
            ps.setString(1, member);
            ps.setTimestamp(2, Timestamp.from(acquired));
            ps.setTimestamp(3, Timestamp.from(until));
            ps.setString(4, name);
            ps.executeUpdate();
        }
        return new Lease(name, member, acquired, until);
    }

    /** Gives the lease up at once (a hub that stops), so that another takes it without waiting for it to expire. */
    public static boolean release(Connection c, String name, String member, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update cluster_lease set expires_at = ? where name = ?"
                + " and holder = ? and expires_at > ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, name);
            ps.setString(3, member);
            ps.setTimestamp(4, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        }
    }

    /** The lease of {@code name} as it stands (expired or not), if it was ever taken. */
    public static Optional<Lease> read(Connection c, String name) throws SQLException {
        return read(c, name, false);
    }

    private static Optional<Lease> read(Connection c, String name, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select name, holder, acquired_at, expires_at from"
                + " cluster_lease where name = ?" + (lock ? " for update" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()));
            }
        }
    }
}
