package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The dead-letter store: add, find, list with filters, and the outcome of replay or discard. */
public final class DeadLetters {

    /** What to list; {@code null} fields do not filter. */
    public record Filter(String connector, String rule, Instant since, DeadLetter.Status status) {
        public static final Filter OPEN = new Filter(null, null, null, DeadLetter.Status.OPEN);
    }

    private static final String COLUMNS = "id, connector, system, mapping, error_class, rules, violations, payload,"
            + " source_file, source_line, source_key, attempts, first_failure, last_failure, correlation_id, status,"
            + " resolution";

    private DeadLetters() {
    }

    public static long add(Connection c, String connector, String system, String mapping,
                           DeadLetter.ErrorClass errorClass, List<String> rules, String violations, String payload,
                           String file, Long line, String key, String correlationId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into dead_letter (connector, system, mapping,"
                + " error_class, rules, violations, payload, source_file, source_line, source_key, attempts,"
                + " first_failure, last_failure, correlation_id, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?,"
                + " ?, 'OPEN')", new String[]{"id"})) {
            ps.setString(1, connector);
            ps.setString(2, system);
            ps.setString(3, mapping);
            ps.setString(4, errorClass.name());
            ps.setString(5, "," + String.join(",", rules) + ",");
            ps.setString(6, violations);
            ps.setString(7, payload);
            ps.setString(8, file);
            if (line == null) {
                ps.setNull(9, java.sql.Types.BIGINT);
            } else {
                ps.setLong(9, line);
            }
            ps.setString(10, key);
            ps.setTimestamp(11, Timestamp.from(now));
            ps.setTimestamp(12, Timestamp.from(now));
            ps.setString(13, correlationId);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A whole message that could not go through (a command a remote refused, a message the broker gave up on): one
     * rule with a detail, the message body kept byte for byte.
     */
    public static long addMessage(Connection c, String connector, DeadLetter.ErrorClass errorClass, String rule,
                                  String detail, String body, String key, String correlationId, Instant now)
            throws SQLException {
        String violations = dev.ponte.json.Json.MAPPER.createArrayNode().add(dev.ponte.json.Json.MAPPER
                .createObjectNode().put("rule", rule).put("detail", detail)).toString();
        return add(c, connector, null, null, errorClass, List.of(rule), violations, body == null ? "" : body, null,
                null, key, correlationId, now);
    }

    public static Optional<DeadLetter> get(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from dead_letter where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static List<DeadLetter> list(Connection c, Filter f) throws SQLException {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from dead_letter where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.status() != null) {
            sql.append(" and status = ?");
            args.add(f.status().name());
        }
        if (f.connector() != null) {
            sql.append(" and connector = ?");
            args.add(f.connector());
        }
        if (f.rule() != null) {
            sql.append(" and rules like ?");
            args.add("%," + f.rule() + ",%");
        }
        if (f.since() != null) {
            sql.append(" and last_failure >= ?");
            args.add(Timestamp.from(f.since()));
        }
        sql.append(" order by id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** A replay failed again: keep the entry open with the new violations. */
    public static void failedAgain(Connection c, long id, String mapping, DeadLetter.ErrorClass errorClass,
                                   List<String> rules, String violations, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update dead_letter set mapping = ?, error_class = ?, rules = ?,"
                + " violations = ?, attempts = attempts + 1, last_failure = ? where id = ?")) {
            ps.setString(1, mapping);
            ps.setString(2, errorClass.name());
            ps.setString(3, "," + String.join(",", rules) + ",");
            ps.setString(4, violations);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setLong(6, id);
            ps.executeUpdate();
        }
    }

    /** Closes an entry (replayed into the store, or discarded with a reason). */
    public static void close(Connection c, long id, DeadLetter.Status status, String resolution) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update dead_letter set status = ?, resolution = ? where id = ? and status = 'OPEN'")) {
            ps.setString(1, status.name());
            ps.setString(2, resolution);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /**
     * Asks the running hub to send an outbound command again (see {@link DeadLetter.Status#REPLAY_REQUESTED}).
     *
     * @return whether the entry was open
     */
    public static boolean requestReplay(Connection c, long id, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update dead_letter set status = 'REPLAY_REQUESTED',"
                + " resolution = ? where id = ? and status = 'OPEN'")) {
            ps.setString(1, "replay requested by " + actor);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks an outbound command whose replay was requested as sent again. */
    public static void replayed(Connection c, long id, String resolution) throws SQLException {
        Sql.update(c, "update dead_letter set status = 'REPLAYED', resolution = ? where id = ?"
                + " and status = 'REPLAY_REQUESTED'", resolution, id);
    }

    /** Open dead letters per rule id. */
    public static Map<String, Long> openByRule(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        for (DeadLetter d : list(c, Filter.OPEN)) {
            for (String rule : d.rules()) {
                out.merge(rule, 1L, Long::sum);
            }
        }
        return out;
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        long line = rs.getLong(10);
        Long sourceLine = rs.wasNull() ? null : line;
        List<String> rules = Arrays.stream(rs.getString(6).split(",")).filter(s -> !s.isBlank()).toList();
        return new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                DeadLetter.ErrorClass.valueOf(rs.getString(5)), rules, rs.getString(7), rs.getString(8),
                rs.getString(9), sourceLine, rs.getString(11), rs.getInt(12), rs.getTimestamp(13).toInstant(),
                rs.getTimestamp(14).toInstant(), rs.getString(15), DeadLetter.Status.valueOf(rs.getString(16)),
                rs.getString(17));
    }
}
