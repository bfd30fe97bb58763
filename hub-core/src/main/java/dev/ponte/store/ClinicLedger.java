package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the clinic flows remember so that an event applied twice changes nothing: the package session each
 * appointment took ({@code package_session}), what billing decided per appointment or up-front package
 * ({@code clinic_billing}), the payments applied to their charge ({@code clinic_payment}) and the settings fixed on
 * the first run ({@code clinic_setting}). Storage only, on the caller's connection; the decisions are
 * {@code dev.ponte.clinic}'s.
 */
public final class ClinicLedger {

    /** The state of an appointment's package session. */
    public enum SessionState {
        /** deducted from the enrollment's balance */
        USED,
        /** given back (the appointment reached a status configured to release) */
        RELEASED,
        /** the package had no session left: a dead letter names the enrollment */
        REFUSED
    }

    /** What billing decided; {@code charges} lists the charge ids made, comma-separated. */
    public record Billed(String key, String outcome, String charges, String detail) {
    }

    private ClinicLedger() {
    }

    /** The session an appointment took, if any. */
    public static Optional<SessionState> session(Connection c, String appointmentId) throws SQLException {
        return Sql.first(c, "select state from package_session where appointment_id = ?", appointmentId)
                .map(SessionState::valueOf);
    }

    /** The enrollment whose session an appointment took, if any. */
    public static Optional<String> sessionEnrollment(Connection c, String appointmentId) throws SQLException {
        return Sql.first(c, "select enrollment_id from package_session where appointment_id = ?", appointmentId);
    }

    /**
     * Records (or changes) the session an appointment took.
     *
     * @param deadLetterId the dead letter of a REFUSED session, else null
     */
    public static void session(Connection c, String appointmentId, String enrollmentId, SessionState state,
                               Long deadLetterId, Instant now) throws SQLException {
        if (Sql.update(c, "update package_session set enrollment_id = ?, state = ?, dead_letter_id = ?, changed_at = ?"
                + " where appointment_id = ?", enrollmentId, state.name(), deadLetterId, now, appointmentId) == 0) {
            Sql.update(c, "insert into package_session (appointment_id, enrollment_id, state, dead_letter_id,"
                    + " changed_at) values (?, ?, ?, ?, ?)", appointmentId, enrollmentId, state.name(), deadLetterId,
                    now);
        }
    }

    /** The dead letter of an appointment's REFUSED session, if any. */
    public static Optional<Long> sessionDeadLetter(Connection c, String appointmentId) throws SQLException {
        return Sql.first(c, "select dead_letter_id from package_session where appointment_id = ?", appointmentId)
                .map(Long::valueOf);
    }

    /** The appointments whose session of an enrollment was REFUSED, oldest first (retried when it changes). */
    public static java.util.List<String> refusedSessions(Connection c, String enrollmentId) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select appointment_id from package_session where"
                + " enrollment_id = ? and state = 'REFUSED' order by changed_at, appointment_id")) {
            Sql.bind(ps, enrollmentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** How many sessions of an enrollment are used (deducted and not given back). */
    public static int sessionsUsed(Connection c, String enrollmentId) throws SQLException {
        return Integer.parseInt(Sql.first(c, "select count(*) from package_session where enrollment_id = ? and state"
                + " = 'USED'", enrollmentId).orElse("0"));
    }

    /** What billing decided for a key ({@code appointment:<id>}, {@code enrollment:<id>}), if anything. */
    public static Optional<Billed> billed(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select outcome, charges, detail from clinic_billing where"
                + " billing_key = ?")) {
            Sql.bind(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Billed(key, rs.getString(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Records billing's decision, once: a second decision for the same key (two transactions that both found none)
     * is refused by the primary key and that transaction rolls back, its charges with it.
     */
    public static void bill(Connection c, Billed b, Instant now) throws SQLException {
        Sql.update(c, "insert into clinic_billing (billing_key, outcome, charges, detail, decided_at) values"
                + " (?, ?, ?, ?, ?)", b.key(), b.outcome(), DeadLetters.fit(b.charges(), 200),
                DeadLetters.fit(b.detail(), 500), now);
    }

    /** How many keys billing decided, by outcome (status, demo summary). */
    public static java.util.Map<String, Long> billedByOutcome(Connection c) throws SQLException {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select outcome, count(*) from clinic_billing group by outcome"
                + " order by outcome");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Whether a payment was applied to its charge already. */
    public static boolean paymentApplied(Connection c, String paymentId) throws SQLException {
        return Sql.first(c, "select charge_id from clinic_payment where payment_id = ?", paymentId).isPresent();
    }

    /** Records a payment as applied to its charge. */
    public static void paymentApplied(Connection c, String paymentId, String chargeId, Instant now)
            throws SQLException {
        Sql.update(c, "insert into clinic_payment (payment_id, charge_id, applied_at) values (?, ?, ?)", paymentId,
                chargeId, now);
    }

    /** Keeps a payment whose charge is not held yet, once. */
    public static void paymentPending(Connection c, String paymentId, String chargeId, Instant now)
            throws SQLException {
        if (Sql.first(c, "select charge_id from clinic_payment_pending where payment_id = ?", paymentId).isEmpty()) {
            Sql.update(c, "insert into clinic_payment_pending (payment_id, charge_id, received_at) values (?, ?, ?)",
                    paymentId, chargeId, now);
        }
    }

    /** The payments waiting for a charge, oldest first; removed from the waiting list. */
    public static java.util.List<String> takePendingPayments(Connection c, String chargeId) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select payment_id from clinic_payment_pending where"
                + " charge_id = ? order by received_at, payment_id")) {
            Sql.bind(ps, chargeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        Sql.update(c, "delete from clinic_payment_pending where charge_id = ?", chargeId);
        return out;
    }

    /** How many payments wait for their charge (status). */
    public static long pendingPayments(Connection c) throws SQLException {
        return Long.parseLong(Sql.first(c, "select count(*) from clinic_payment_pending").orElse("0"));
    }

    /** A setting fixed on the first run, or {@code value} stored now when there is none yet. */
    public static String settingOrFix(Connection c, String name, String value) throws SQLException {
        Optional<String> current = Sql.first(c, "select setting_value from clinic_setting where setting_name = ?", name);
        if (current.isPresent()) {
            return current.get();
        }
        Sql.update(c, "insert into clinic_setting (setting_name, setting_value) values (?, ?)", name, value);
        return value;
    }
}
