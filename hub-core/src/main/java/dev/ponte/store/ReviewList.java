package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The review list ({@code clinic_review}): what the booking checks found on a record and a person must look at, one
 * row per record and rule, open until a later check no longer finds it. Storage only, on the caller's connection;
 * what is checked is {@code dev.ponte.validation.ClinicRules}'.
 */
public final class ReviewList {

    /** One item: an open one has no {@code resolvedAt}. {@code detail} is the English message, ids only. */
    public record Item(String entity, String recordId, String rule, String field, String detail, Instant openedAt,
                       Instant resolvedAt) {
    }

    /** A finding to keep open: the rule, the canonical path concerned and the message. */
    public record Finding(String rule, String field, String detail) {
    }

    private ReviewList() {
    }

    /**
     * Makes the open items of a record exactly {@code findings}: a new rule opens an item (a resolved one opens
     * again), a rule no longer found is resolved, an open one keeps its opening time.
     *
     * @return the rules opened by this call (new findings), for logs and audit
     */
    public static List<String> sync(Connection c, String entity, String recordId, List<Finding> findings,
                                    Instant now) throws SQLException {
        Map<String, Item> current = new HashMap<>();
        for (Item i : of(c, entity, recordId)) {
            current.put(i.rule(), i);
        }
        Set<String> found = new HashSet<>();
        List<String> opened = new ArrayList<>();
        for (Finding f : findings) {
            if (!found.add(f.rule())) {
                continue; // one item per rule: the first finding of a rule names it
            }
            Item was = current.get(f.rule());
            String detail = DeadLetters.fit(f.detail(), 500);
            if (was == null) {
                Sql.update(c, "insert into clinic_review (entity, record_id, rule, field, detail, opened_at) values"
                        + " (?, ?, ?, ?, ?, ?)", entity, recordId, f.rule(), DeadLetters.fit(f.field(), 80), detail, now);
                opened.add(f.rule());
            } else if (was.resolvedAt() != null) {
                Sql.update(c, "update clinic_review set field = ?, detail = ?, opened_at = ?, resolved_at = null"
                        + " where entity = ? and record_id = ? and rule = ?", DeadLetters.fit(f.field(), 80), detail,
                        now, entity, recordId, f.rule());
                opened.add(f.rule());
            } else if (!detail.equals(was.detail())) {
                Sql.update(c, "update clinic_review set field = ?, detail = ? where entity = ? and record_id = ?"
                        + " and rule = ?", DeadLetters.fit(f.field(), 80), detail, entity, recordId, f.rule());
            }
        }
        for (Item i : current.values()) {
            if (i.resolvedAt() == null && !found.contains(i.rule())) {
                Sql.update(c, "update clinic_review set resolved_at = ? where entity = ? and record_id = ? and rule = ?",
                        now, entity, recordId, i.rule());
            }
        }
        return opened;
    }

    /** Every item of a record, open or resolved. */
    public static List<Item> of(Connection c, String entity, String recordId) throws SQLException {
        return query(c, "select entity, record_id, rule, field, detail, opened_at, resolved_at from clinic_review"
                + " where entity = ? and record_id = ? order by rule", entity, recordId);
    }

    /** The open items of a record. */
    public static List<Item> open(Connection c, String entity, String recordId) throws SQLException {
        return of(c, entity, recordId).stream().filter(i -> i.resolvedAt() == null).toList();
    }

    /** The open items, oldest first, of one rule or (null) all. */
    public static List<Item> open(Connection c, String rule, int limit) throws SQLException {
        String sql = "select entity, record_id, rule, field, detail, opened_at, resolved_at from clinic_review where"
                + " resolved_at is null" + (rule == null ? "" : " and rule = ?")
                + " order by opened_at, entity, record_id, rule limit " + Math.max(1, limit);
        return rule == null ? query(c, sql) : query(c, sql, rule);
    }

    /** How many items are open, by rule. */
    public static Map<String, Long> openByRule(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select rule, count(*) from clinic_review where resolved_at is"
                + " null group by rule order by rule");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static List<Item> query(Connection c, String sql, Object... args) throws SQLException {
        List<Item> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp resolved = rs.getTimestamp(7);
                    out.add(new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), resolved == null ? null
                            : resolved.toInstant()));
                }
            }
        }
        return out;
    }
}
