package dev.ponte.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Small durable key/value state per connector instance (a poller's watermark). */
public final class ConnectorState {

    private ConnectorState() {
    }

    public static Optional<String> state(Connection c, String connector, String key) throws SQLException {
        return Sql.first(c, "select state_value from connector_state where connector = ? and state_key = ?", connector,
                key);
    }

    public static void saveState(Connection c, String connector, String key, String value) throws SQLException {
        if (Sql.update(c, "update connector_state set state_value = ?, state_version = state_version + 1"
                + " where connector = ? and state_key = ?", value,
                connector, key) == 0) {
            Sql.update(c, "insert into connector_state (connector, state_key, state_value) values (?, ?, ?)", connector,
                    key, value);
        }
    }
}
