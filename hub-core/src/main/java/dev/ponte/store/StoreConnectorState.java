package dev.ponte.store;

import dev.ponte.spi.ConnectorStateStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link ConnectorStateStore} of one instance over table {@code connector_state} (version column: V4). */
public final class StoreConnectorState implements ConnectorStateStore {

    private final Database db;
    private final String instance;

    public StoreConnectorState(Database db, String instance) {
        this.db = db;
        this.instance = instance;
    }

    @Override
    public Optional<Versioned> get(String key) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("select state_value, state_version from connector_state"
                    + " where connector = ? and state_key = ?")) {
                ps.setString(1, instance);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Versioned(rs.getString(1), rs.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean put(String key, String value, long expectedVersion) {
        if (value == null) {
            throw new IllegalArgumentException("state value of " + key + " is null");
        }
        if (expectedVersion == ABSENT) {
            try {
                return db.inTransaction(c -> Sql.update(c, "insert into connector_state (connector, state_key,"
                        + " state_value, state_version) select ?, ?, ?, 1 where not exists (select 1 from"
                        + " connector_state where connector = ? and state_key = ?)", instance, key, value, instance,
                        key) == 1);
            } catch (StoreException e) {
                if (e.getCause() instanceof SQLException s && s.getSQLState() != null
                        && s.getSQLState().startsWith("23")) {
                    return false; // inserted concurrently
                }
                throw e;
            }
        }
        return db.inTransaction(c -> Sql.update(c, "update connector_state set state_value = ?, state_version ="
                + " state_version + 1 where connector = ? and state_key = ? and state_version = ?", value, instance,
                key, expectedVersion) == 1);
    }
}
