package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Small durable key/value state per connector instance (a poller's watermark). */
public final class ConnectorState {

    private ConnectorState() {
    }

    public static Optional<String> state(Connection c, String connector, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select state_value from connector_state where connector = ? and state_key = ?")) {
            ps.setString(1, connector);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public static void saveState(Connection c, String connector, String key, String value) throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement(
                "update connector_state set state_value = ? where connector = ? and state_key = ?")) {
            ps.setString(1, value);
            ps.setString(2, connector);
            ps.setString(3, key);
            n = ps.executeUpdate();
        }
        if (n == 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into connector_state (connector, state_key, state_value) values (?, ?, ?)")) {
                ps.setString(1, connector);
                ps.setString(2, key);
                ps.setString(3, value);
                ps.executeUpdate();
            }
        }
    }
}
