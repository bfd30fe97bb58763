package dev.ponte.store;

import dev.ponte.model.MessageStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The messages to patients the hub holds ({@code message}), their steps ({@code message_step}) and patients' replies
 * ({@code patient_reply}). Storage only: what a message may do next is {@code dev.ponte.messaging}'s.
 */
public final class Messages {

    private static final String COLUMNS = "id, business_key, patient_id, appointment_id, purpose, template, status, "
            + "channel, connector, recipient, tried, scheduled_for, due_at, queued_at, sent_at, external_id, reason, "
            + "updated_at";

    /**
     * One message.
     *
     * @param tried        channels already tried, in order
     * @param scheduledFor when it was meant to go out
     * @param dueAt        when the scheduler looks at it next (a deferral moves it, {@code scheduledFor} stays)
     * @param reason       why it is where it is (the last policy or channel outcome), for the admin
     */
    public record StoredMessage(String id, String businessKey, String patientId, String appointmentId, String purpose,
                                String template, MessageStatus status, String channel, String connector,
                                String recipient, List<String> tried, Instant scheduledFor, Instant dueAt,
                                Instant queuedAt, Instant sentAt, String externalId, String reason,
                                Instant updatedAt) {
        public StoredMessage {
            tried = tried == null ? List.of() : List.copyOf(tried);
        }

        public StoredMessage with(MessageStatus newStatus, String newReason, Instant now) {
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template, newStatus, channel,
                    connector, recipient, tried, scheduledFor, dueAt, queuedAt, sentAt, externalId,
                    DeadLetters.fit(newReason, 1000), now);
        }

        public StoredMessage dueAt(Instant when) {
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template, status, channel,
                    connector, recipient, tried, scheduledFor, when, queuedAt, sentAt, externalId, reason, updatedAt);
        }

        public StoredMessage rescheduled(Instant when) {
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template, status, channel,
                    connector, recipient, tried, when, when, queuedAt, sentAt, externalId, reason, updatedAt);
        }

        /** Back to SCHEDULED, due at {@code due}, without its last channel attempt (it did not happen). */
        public StoredMessage back(Instant due, String newReason, Instant now) {
            List<String> t = new ArrayList<>(tried);
            if (!t.isEmpty()) {
                t.remove(t.size() - 1);
            }
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template,
                    MessageStatus.SCHEDULED, channel, connector, recipient, t, scheduledFor, due, null, sentAt,
                    externalId, DeadLetters.fit(newReason, 1000), now);
        }

        /** SCHEDULED again from its first channel, due at {@code due}, nothing tried (an admin's retry). */
        public StoredMessage fresh(Instant due, String newReason, Instant now) {
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template,
                    MessageStatus.SCHEDULED, null, null, null, List.of(), scheduledFor, due, null, null, null,
                    DeadLetters.fit(newReason, 1000), now);
        }

        public StoredMessage queued(String newChannel, String newConnector, String newRecipient, Instant now) {
            List<String> t = new ArrayList<>(tried);
            t.add(newChannel);
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template,
                    MessageStatus.QUEUED, newChannel, newConnector, newRecipient, t, scheduledFor, dueAt, now, sentAt,
                    externalId, null, now);
        }

        public StoredMessage sent(String newExternalId, Instant now) {
            return new StoredMessage(id, businessKey, patientId, appointmentId, purpose, template, MessageStatus.SENT,
                    channel, connector, recipient, tried, scheduledFor, dueAt, queuedAt, now,
                    DeadLetters.fit(newExternalId, 200), null, now);
        }
    }

    /** One step of a message's history. */
    public record Step(Instant at, String step, String outcome, String channel, String reason) {
    }

    /** A patient's reply as stored. */
    public record Reply(String providerId, String connector, String messageId, String sender, String body,
                        String button, String intent, Instant receivedAt, String handled) {
    }

    private Messages() {
    }

    /** Inserts a new message; {@code false} (nothing written) when its business key is already held. */
    public static boolean insert(Connection c, StoredMessage m) throws SQLException {
        if (Sql.first(c, "select id from message where business_key = ?", m.businessKey()).isPresent()) {
            return false;
        }
        Sql.update(c, "insert into message (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?)", m.id(), m.businessKey(), m.patientId(), m.appointmentId(), m.purpose(), m.template(),
                m.status().name(), m.channel(), m.connector(), m.recipient(), String.join(",", m.tried()),
                m.scheduledFor(), m.dueAt(), m.queuedAt(), m.sentAt(), m.externalId(), m.reason(), m.updatedAt());
        return true;
    }

    /** Keeps the command a message was handed to its channel with, to hand the same one again after a crash. */
    public static void command(Connection c, String id, String command) throws SQLException {
        Sql.update(c, "update message set command = ? where id = ?", command, id);
    }

    public static Optional<String> command(Connection c, String id) throws SQLException {
        return Sql.first(c, "select command from message where id = ?", id);
    }

    /**
     * Writes every mutable field of a message. The command kept for a crash (with the recipient and the text) is
     * dropped as soon as the message is no longer QUEUED: the hub keeps no copy of what it sent.
     */
    public static void update(Connection c, StoredMessage m) throws SQLException {
        Sql.update(c, "update message set status = ?, channel = ?, connector = ?, recipient = ?, tried = ?, "
                        + "scheduled_for = ?, due_at = ?, queued_at = ?, sent_at = ?, external_id = ?, reason = ?, "
                        + "updated_at = ?, command = case when ? = 'QUEUED' then command else null end where id = ?",
                m.status().name(), m.channel(), m.connector(), m.recipient(),
                String.join(",", m.tried()), m.scheduledFor(), m.dueAt(), m.queuedAt(), m.sentAt(), m.externalId(),
                m.reason(), m.updatedAt(), m.status().name(), m.id());
    }

    /** Records how many billable parts the provider counted for a sent message (SMS segments). */
    public static void parts(Connection c, String id, int parts) throws SQLException {
        Sql.update(c, "update message set parts = ? where id = ?", parts, id);
    }

    /** The billable parts of a sent message, when its provider counted them. */
    public static Optional<Integer> parts(Connection c, String id) throws SQLException {
        return Sql.first(c, "select cast(parts as varchar(12)) from message where id = ? and parts is not null", id)
                .map(Integer::valueOf);
    }

    /** Records the state of the record a message announces (an invitation's appointment). */
    public static void revision(Connection c, String id, String revision) throws SQLException {
        Sql.update(c, "update message set revision = ? where id = ?", revision, id);
    }

    /** The state of the record a message announces, when it has one. */
    public static Optional<String> revision(Connection c, String id) throws SQLException {
        return Sql.first(c, "select revision from message where id = ? and revision is not null", id);
    }

    /** Records a message's own channel order (a retention campaign's), names of {@code Channel}, in order. */
    public static void channels(Connection c, String id, List<String> channels) throws SQLException {
        Sql.update(c, "update message set channels = ? where id = ?", String.join(",", channels), id);
    }

    /** A message's own channel order, when it has one (else {@code ponte.messaging.channels} applies). */
    public static Optional<List<String>> channels(Connection c, String id) throws SQLException {
        return Sql.first(c, "select channels from message where id = ? and channels is not null and channels <> ''",
                id).map(v -> List.of(v.split(",")));
    }

    public static Optional<StoredMessage> byId(Connection c, String id) throws SQLException {
        return one(c, "where id = ?", id);
    }

    public static Optional<StoredMessage> byKey(Connection c, String businessKey) throws SQLException {
        return one(c, "where business_key = ?", businessKey);
    }

    /** The message of a business key and its follow-ups ({@code <key>#2}, {@code <key>#3}, ...), in any order. */
    public static List<StoredMessage> generations(Connection c, String businessKey) throws SQLException {
        return list(c, "where business_key = ? or business_key like ?", Integer.MAX_VALUE, businessKey,
                businessKey.replace("%", "\\%").replace("_", "\\_") + "#%");
    }

    public static Optional<StoredMessage> byExternalId(Connection c, String externalId) throws SQLException {
        return one(c, "where external_id = ?", externalId);
    }

    /** The messages sent through a connector to any of these addresses since {@code since}, newest first. */
    public static List<StoredMessage> sentTo(Connection c, String connector, List<String> recipients, Instant since)
            throws SQLException {
        if (recipients.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(recipients.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(connector);
        args.addAll(recipients);
        args.add(since);
        return list(c, "where connector = ? and recipient in (" + marks + ") and sent_at >= ? order by sent_at desc",
                50, args.toArray());
    }

    /** A status reported before the message's provider id was recorded. */
    public record EarlyStatus(String status, Instant at, String errorCode, String errorTitle) {
    }

    public static void addEarlyStatus(Connection c, String connector, String externalId, EarlyStatus s, Instant now)
            throws SQLException {
        // what nobody claimed within a week is a status of a message the hub never sent through this connector
        Sql.update(c, "delete from message_status_early where received_at < ?", now.minus(java.time.Duration.ofDays(7)));
        Sql.update(c, "insert into message_status_early (connector, external_id, status, at, error_code, error_title, "
                        + "received_at) values (?, ?, ?, ?, ?, ?, ?)", connector, DeadLetters.fit(externalId, 200),
                s.status(), s.at(), DeadLetters.fit(s.errorCode(), 40), DeadLetters.fit(s.errorTitle(), 200), now);
    }

    /** The statuses reported early for a provider id, oldest first, removed from the table. */
    public static List<EarlyStatus> takeEarlyStatuses(Connection c, String connector, String externalId)
            throws SQLException {
        List<EarlyStatus> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select status, at, error_code, error_title from "
                + "message_status_early where connector = ? and external_id = ? order by at, id")) {
            Sql.bind(ps, connector, externalId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EarlyStatus(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4)));
                }
            }
        }
        if (!out.isEmpty()) {
            Sql.update(c, "delete from message_status_early where connector = ? and external_id = ?", connector,
                    externalId);
        }
        return out;
    }

    /** Scheduled messages due at {@code now}, oldest first. */
    public static List<StoredMessage> due(Connection c, Instant now, int limit) throws SQLException {
        return list(c, "where status = 'SCHEDULED' and due_at <= ? order by due_at, id", limit, now);
    }

    /** Messages handed to a channel before {@code before} and not acknowledged by its sink since. */
    public static List<StoredMessage> queuedBefore(Connection c, Instant before, int limit) throws SQLException {
        return list(c, "where status = 'QUEUED' and queued_at < ? order by queued_at", limit, before);
    }

    public static List<StoredMessage> byAppointment(Connection c, String appointmentId) throws SQLException {
        return list(c, "where appointment_id = ? order by business_key", Integer.MAX_VALUE, appointmentId);
    }

    public static List<StoredMessage> byPatient(Connection c, String patientId, MessageStatus status)
            throws SQLException {
        return list(c, "where patient_id = ? and status = ? order by due_at", Integer.MAX_VALUE, patientId,
                status.name());
    }

    /** Every message to one patient, whatever its status, by due time. */
    public static List<StoredMessage> ofPatient(Connection c, String patientId) throws SQLException {
        return list(c, "where patient_id = ? order by due_at", Integer.MAX_VALUE, patientId);
    }

    /** The newest messages, optionally of some statuses only. */
    public static List<StoredMessage> recent(Connection c, List<MessageStatus> statuses, int limit)
            throws SQLException {
        if (statuses.isEmpty()) {
            return list(c, "order by updated_at desc, id", limit);
        }
        String marks = String.join(", ", java.util.Collections.nCopies(statuses.size(), "?"));
        return list(c, "where status in (" + marks + ") order by updated_at desc, id", limit,
                statuses.stream().map(Enum::name).toArray());
    }

    /**
     * When the messages of a patient and purpose went out, or were handed to a channel, after {@code since}, oldest
     * first (those on their way count: several due at once must not pass a limit together).
     */
    public static List<Instant> sentSince(Connection c, String patientId, String purpose, Instant since)
            throws SQLException {
        List<Instant> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select coalesce(sent_at, queued_at) t from message where "
                + "patient_id = ? and purpose = ? and status in ('QUEUED', 'SENT', 'DELIVERED', 'READ') and "
                + "coalesce(sent_at, queued_at) > ? order by t")) {
            Sql.bind(ps, patientId, purpose, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return out;
    }

    public static Map<String, Long> countsByStatus(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select status, count(*) from message group by status "
                + "order by status"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Appends a step to a message's history (values cut to their columns). */
    public static void step(Connection c, String messageId, Instant at, String step, String outcome, String channel,
                            String reason) throws SQLException {
        Sql.update(c, "insert into message_step (message_id, at, step, outcome, channel, reason) values (?, ?, ?, ?, "
                + "?, ?)", messageId, at, DeadLetters.fit(step, 30), DeadLetters.fit(outcome, 30), channel,
                DeadLetters.fit(reason, 1000));
    }

    public static List<Step> steps(Connection c, String messageId) throws SQLException {
        List<Step> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select at, step, outcome, channel, reason from message_step "
                + "where message_id = ? order by id")) {
            Sql.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Step(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** Records a reply once; {@code false} when its provider id is already held. */
    public static boolean insertReply(Connection c, Reply r) throws SQLException {
        if (Sql.first(c, "select provider_id from patient_reply where provider_id = ?", r.providerId()).isPresent()) {
            return false;
        }
        Sql.update(c, "insert into patient_reply (provider_id, connector, message_id, sender, body, button, intent, "
                        + "received_at, handled) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", DeadLetters.fit(r.providerId(), 200),
                r.connector(), r.messageId(), DeadLetters.fit(r.sender(), 200), DeadLetters.fit(r.body(), 4096),
                DeadLetters.fit(r.button(), 200), r.intent(), r.receivedAt(), DeadLetters.fit(r.handled(), 200));
        return true;
    }

    public static Optional<Reply> reply(Connection c, String providerId) throws SQLException {
        return replies(c, "where provider_id = ?", 1, providerId).stream().findFirst();
    }

    public static void markReplyHandled(Connection c, String providerId, String handled) throws SQLException {
        Sql.update(c, "update patient_reply set handled = ? where provider_id = ?", DeadLetters.fit(handled, 200),
                providerId);
    }

    /** The newest replies, of one intent or all ({@code null}). */
    public static List<Reply> replies(Connection c, String intent, int limit) throws SQLException {
        return intent == null ? replies(c, "", limit) : replies(c, "where intent = ?", limit, intent);
    }

    private static List<Reply> replies(Connection c, String where, int limit, Object... args) throws SQLException {
        List<Reply> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select provider_id, connector, message_id, sender, body, "
                + "button, intent, received_at, handled from patient_reply " + where + " order by received_at desc")) {
            Sql.bind(ps, args);
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Reply(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                            rs.getString(9)));
                }
            }
        }
        return out;
    }

    /**
     * One message. In a write transaction its row is locked until the commit ({@code for update}): every change of a
     * message reads it, decides and writes the whole row, and on PostgreSQL, where write transactions run side by
     * side, a second writer of the same message (a status webhook while the dispatcher records the send) must wait
     * for the first and then read what it wrote. Reads ({@code Database.read}) take no lock.
     */
    private static Optional<StoredMessage> one(Connection c, String where, Object... args) throws SQLException {
        return list(c, Database.inRead() ? where : where + " for update", 1, args).stream().findFirst();
    }

    private static List<StoredMessage> list(Connection c, String where, int limit, Object... args)
            throws SQLException {
        List<StoredMessage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from message " + where)) {
            Sql.bind(ps, args);
            if (limit < Integer.MAX_VALUE) {
                ps.setMaxRows(limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tried = rs.getString(11);
                    out.add(new StoredMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), MessageStatus.valueOf(rs.getString(7)), rs.getString(8),
                            rs.getString(9), rs.getString(10), tried == null || tried.isEmpty() ? List.of()
                            : Arrays.asList(tried.split(",")), instant(rs.getTimestamp(12)),
                            instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)),
                            rs.getString(16), rs.getString(17), instant(rs.getTimestamp(18))));
                }
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
