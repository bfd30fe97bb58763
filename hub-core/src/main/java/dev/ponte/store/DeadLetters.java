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

    // the widths of the varchar columns of dead_letter (V1__canonical_store.sql), in characters
    static final int CONNECTOR = 100;
    static final int SYSTEM = 100;
    static final int MAPPING = 200;
    static final int RULES = 1000;
    static final int SOURCE_FILE = 500;
    static final int SOURCE_KEY = 200;
    static final int CORRELATION_ID = 100;
    static final int RESOLUTION = 1000;

    private DeadLetters() {
    }

    /**
     * A value cut to a column's width, ending with a marker that says so and how long it was
     * ({@code 10293…[cut, 1048 chars]}). Every value written into a varchar column of {@code dead_letter} goes
     * through here: a dead letter is where bad input ends up, so its key or file name may be anything, and a
     * value too long for its column would fail the insert and with it the chunk of good rows around the bad one.
     * Counts characters (varchar(n) in H2 and PostgreSQL counts characters) and never splits a surrogate pair.
     *
     * @return {@code value} itself when it fits (or is {@code null})
     */
    public static String fit(String value, int width) {
        if (value == null || value.length() <= width) {
            return value;
        }
        String marker = "…[cut, " + value.length() + " chars]";
        if (marker.length() >= width) { // no column of dead_letter is that narrow
            return marker.substring(0, width);
        }
        int keep = width - marker.length();
        if (Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--;
        }
        return value.substring(0, keep) + marker;
    }

    /**
     * The rules column ({@code ,a,b,}, matched with {@code like '%,a,%'}): whole rule ids while they fit, then a
     * marker without commas, so that the ids kept still match a filter.
     */
    static String rulesColumn(List<String> rules) {
        StringBuilder out = new StringBuilder(",");
        for (int i = 0; i < rules.size(); i++) {
            String rule = rules.get(i);
            String marker = "…[cut: " + (rules.size() - i) + " more rules]";
            boolean last = i == rules.size() - 1;
            if (out.length() + rule.length() + 1 + (last ? 0 : marker.length()) > RULES) {
                return fit(out + marker, RULES);
            }
            out.append(rule).append(',');
        }
        return out.toString();
    }

    public static long add(Connection c, String connector, String system, String mapping,
                           DeadLetter.ErrorClass errorClass, List<String> rules, String violations, String payload,
                           String file, Long line, String key, String correlationId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into dead_letter (connector, system, mapping,"
                + " error_class, rules, violations, payload, source_file, source_line, source_key, attempts,"
                + " first_failure, last_failure, correlation_id, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?,"
                + " ?, 'OPEN')", new String[]{"id"})) {
            ps.setString(1, fit(connector, CONNECTOR));
            ps.setString(2, fit(system, SYSTEM));
            ps.setString(3, fit(mapping, MAPPING));
            ps.setString(4, errorClass.name());
            ps.setString(5, rulesColumn(rules));
            ps.setString(6, violations); // text: no width to overflow
            ps.setString(7, payload); // text, kept byte for byte for replay
            ps.setString(8, fit(file, SOURCE_FILE));
            if (line == null) {
                ps.setNull(9, java.sql.Types.BIGINT);
            } else {
                ps.setLong(9, line);
            }
            ps.setString(10, fit(key, SOURCE_KEY));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.setTimestamp(12, Timestamp.from(now));
            ps.setString(13, fit(correlationId, CORRELATION_ID));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The open dead letter of exactly this source row (same connector, mapping, file, key and payload byte for byte),
     * if there is one: a later import of an unchanged export rejects the same row again.
     */
    public static java.util.Optional<Long> openForSameRow(Connection c, String connector, String mapping, String file,
                                                          String key, String payload) throws SQLException {
        if (key == null) {
            return java.util.Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("select id, payload from dead_letter where source_key = ?"
                + " and status = 'OPEN' and connector = ? and mapping = ? and source_file = ? order by id")) {
            ps.setString(1, fit(key, SOURCE_KEY));
            ps.setString(2, fit(connector, CONNECTOR));
            ps.setString(3, fit(mapping, MAPPING));
            ps.setString(4, fit(file, SOURCE_FILE));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (payload.equals(rs.getString(2))) {
                        return java.util.Optional.of(rs.getLong(1));
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The same row rejected again by a later import: one more attempt, now under that import's run. */
    public static void seenAgain(Connection c, long id, List<String> rules, String violations, String correlationId,
                                 Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update dead_letter set rules = ?, violations = ?,"
                + " attempts = attempts + 1, last_failure = ?, correlation_id = ? where id = ?")) {
            ps.setString(1, rulesColumn(rules));
            ps.setString(2, violations);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, fit(correlationId, CORRELATION_ID));
            ps.setLong(5, id);
            ps.executeUpdate();
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
            ps.setString(1, fit(mapping, MAPPING));
            ps.setString(2, errorClass.name());
            ps.setString(3, rulesColumn(rules));
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
            ps.setString(2, fit(resolution, RESOLUTION));
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
            ps.setString(1, fit("replay requested by " + actor, RESOLUTION));
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks an outbound command whose replay was requested as sent again. */
    public static void replayed(Connection c, long id, String resolution) throws SQLException {
        Sql.update(c, "update dead_letter set status = 'REPLAYED', resolution = ? where id = ?"
                + " and status = 'REPLAY_REQUESTED'", fit(resolution, RESOLUTION), id);
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
