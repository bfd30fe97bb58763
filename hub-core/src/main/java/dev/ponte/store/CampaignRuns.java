package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The runs of retention campaigns ({@code campaign_run}, one per campaign and day) and every patient each looked at
 * ({@code campaign_target}). Storage only: what a campaign does is {@code dev.ponte.campaigns}'.
 */
public final class CampaignRuns {

    /** Outcomes of a target. */
    public static final String EXCLUDED = "excluded";
    public static final String BLOCKED = "blocked";
    public static final String SCHEDULED = "scheduled";

    /** One run of a campaign. */
    public record Run(String id, String campaign, int version, LocalDate day, Instant startedAt, String actor) {
    }

    /**
     * A patient a run looked at.
     *
     * @param outcome {@link #EXCLUDED}, {@link #BLOCKED} or {@link #SCHEDULED}
     * @param reason  why excluded or blocked (a short key: {@code min-age}, {@code consent}, ...)
     * @param detail  the longer why, ids, dates and codes only
     */
    public record Target(String runId, String patientId, String outcome, String reason, String detail,
                         String messageId, Instant sentAt, Instant repliedAt, Instant bookedAt,
                         String bookedAppointment, Instant updatedAt) {
    }

    private static final String TARGET_COLUMNS = "run_id, patient_id, outcome, reason, detail, message_id, sent_at, "
            + "replied_at, booked_at, booked_appointment, updated_at";

    private CampaignRuns() {
    }

    /** Inserts a run; {@code false} (nothing written) when the campaign already ran that day. */
    public static boolean insertRun(Connection c, Run r) throws SQLException {
        if (run(c, r.campaign(), r.day()).isPresent()) {
            return false;
        }
        Sql.update(c, "insert into campaign_run (id, campaign, version, run_day, started_at, actor) values (?, ?, ?, "
                + "?, ?, ?)", r.id(), r.campaign(), r.version(), r.day(), r.startedAt(), DeadLetters.fit(r.actor(),
                100));
        return true;
    }

    public static Optional<Run> run(Connection c, String campaign, LocalDate day) throws SQLException {
        return runs(c, "where campaign = ? and run_day = ?", campaign, day).stream().findFirst();
    }

    /** The runs of a campaign, newest day first. */
    public static List<Run> runs(Connection c, String campaign) throws SQLException {
        return runs(c, "where campaign = ? order by run_day desc", campaign);
    }

    private static List<Run> runs(Connection c, String where, Object... args) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, campaign, version, run_day, started_at, actor "
                + "from campaign_run " + where)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Run(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getObject(4, LocalDate.class),
                            rs.getTimestamp(5).toInstant(), rs.getString(6)));
                }
            }
        }
        return out;
    }

    public static void insertTarget(Connection c, Target t) throws SQLException {
        Sql.update(c, "insert into campaign_target (" + TARGET_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.runId(), t.patientId(), t.outcome(), DeadLetters.fit(t.reason(), 40), DeadLetters.fit(t.detail(),
                        500), t.messageId(), t.sentAt(), t.repliedAt(), t.bookedAt(), t.bookedAppointment(),
                t.updatedAt());
    }

    /** The patients of a run, by patient id. */
    public static List<Target> targets(Connection c, String runId) throws SQLException {
        List<Target> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + TARGET_COLUMNS + " from campaign_target where "
                + "run_id = ? order by patient_id")) {
            Sql.bind(ps, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Target(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), rs.getString(10),
                            instant(rs.getTimestamp(11))));
                }
            }
        }
        return out;
    }

    /** Records what followed a target's message. */
    public static void attribution(Connection c, String runId, String patientId, Instant sentAt, Instant repliedAt,
                                   Instant bookedAt, String bookedAppointment, Instant now) throws SQLException {
        Sql.update(c, "update campaign_target set sent_at = ?, replied_at = ?, booked_at = ?, booked_appointment = ?,"
                        + " updated_at = ? where run_id = ? and patient_id = ?", sentAt, repliedAt, bookedAt,
                bookedAppointment, now, runId, patientId);
    }

    /**
     * The patients a campaign scheduled a message for on a day from {@code since} on, unless the messaging core
     * blocked or cancelled that message (then the patient may be tried again).
     */
    public static Set<String> messagedSince(Connection c, String campaign, LocalDate since) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select t.patient_id from campaign_target t join campaign_run r"
                + " on r.id = t.run_id left join message m on m.id = t.message_id where r.campaign = ? and "
                + "r.run_day >= ? and t.outcome = 'scheduled' and (m.status is null or m.status not in ('BLOCKED', "
                + "'CANCELLED'))")) {
            Sql.bind(ps, campaign, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * When the first reply after a message came, within {@code (from, to]}: a reply the hub tied to the message, or
     * one from its recipient's address through its connector.
     */
    public static Optional<Instant> firstReply(Connection c, String messageId, String connector,
                                               List<String> senders, Instant from, Instant to) throws SQLException {
        StringBuilder sql = new StringBuilder("select min(received_at) from patient_reply where received_at > ? and "
                + "received_at <= ? and (message_id = ?");
        List<Object> args = new ArrayList<>(List.of(from, to, messageId));
        if (connector != null && !senders.isEmpty()) {
            sql.append(" or (connector = ? and sender in (")
                    .append(String.join(", ", java.util.Collections.nCopies(senders.size(), "?"))).append("))");
            args.add(connector);
            args.addAll(senders);
        }
        sql.append(")");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(instant(rs.getTimestamp(1))) : Optional.empty();
            }
        }
    }

    /** A canonical record first written by the hub at {@code createdAt}. */
    public record Created(String id, String payload, Instant createdAt) {
    }

    /** The records of an entity the hub first saw within {@code (from, to]}, oldest first. */
    public static List<Created> createdBetween(Connection c, String entity, Instant from, Instant to)
            throws SQLException {
        List<Created> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select canonical_id, payload, created_at from "
                + "canonical_record where entity_type = ? and created_at > ? and created_at <= ? order by created_at, "
                + "canonical_id")) {
            Sql.bind(ps, entity, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Created(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
