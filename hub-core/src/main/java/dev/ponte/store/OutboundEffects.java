package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The external effects sinks performed, one row per business key: what makes delivery idempotent. */
public final class OutboundEffects {

    /** The last delivery for a business key. */
    public record Effect(String businessKey, String connector, String contentHash, String externalId, String detail,
                         String commandId, Instant deliveredAt) {
    }

    private OutboundEffects() {
    }

    public static Optional<Effect> get(Connection c, String businessKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select business_key, connector, content_hash, external_id, "
                + "detail, command_id, delivered_at from outbound_effect where business_key = ?")) {
            Sql.bind(ps, businessKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Effect(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()))
                        : Optional.empty();
            }
        }
    }

    public static void record(Connection c, Effect e) throws SQLException {
        if (Sql.update(c, "update outbound_effect set connector = ?, content_hash = ?, external_id = ?, detail = ?, "
                        + "command_id = ?, delivered_at = ? where business_key = ?", e.connector(), e.contentHash(),
                e.externalId(), e.detail(), e.commandId(), e.deliveredAt(), e.businessKey()) == 0) {
            Sql.update(c, "insert into outbound_effect (business_key, connector, content_hash, external_id, detail, "
                            + "command_id, delivered_at) values (?, ?, ?, ?, ?, ?, ?)", e.businessKey(), e.connector(),
                    e.contentHash(), e.externalId(), e.detail(), e.commandId(), e.deliveredAt());
        }
    }

    public static long count(Connection c, String connector) throws SQLException {
        return Long.parseLong(Sql.first(c, "select count(*) from outbound_effect where connector = ?", connector)
                .orElse("0"));
    }
}
