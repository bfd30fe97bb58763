package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the fiscal trigger knows of charges: the one document of each ({@code invoice_of_charge}, whose primary key
 * makes "one document per charge, ever" hold in the database), the charges it would invoice but cannot, with why
 * ({@code invoice_skipped}), and the appointment of each charge it has seen ({@code invoice_charge_appointment}).
 * Storage only, on the caller's connection: when a charge is invoiced is {@code dev.ponte.fiscal}'s.
 */
public final class InvoicedCharges {

    /** The document a charge got: its Invoice record's id and its number in its series. */
    public record Issued(String chargeId, String invoiceId, String issuerCnpj, String series, long number) {
    }

    private InvoicedCharges() {
    }

    /** The document of a charge, if it has one. */
    public static Optional<Issued> of(Connection c, String chargeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select invoice_id, issuer_cnpj, series, number from"
                + " invoice_of_charge where charge_id = ?")) {
            Sql.bind(ps, chargeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Issued(chargeId, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4))) : Optional.empty();
            }
        }
    }

    /**
     * Records the document of a charge, in the transaction that writes it. A second document for the same charge
     * (two transactions that both found none) is refused by the primary key: that transaction fails and rolls back,
     * its number with it. The charge's skip, if any, is removed.
     */
    public static void record(Connection c, Issued issued, Instant now) throws SQLException {
        Sql.update(c, "insert into invoice_of_charge (charge_id, invoice_id, issuer_cnpj, series, number, created_at)"
                        + " values (?, ?, ?, ?, ?, ?)", issued.chargeId(), issued.invoiceId(), issued.issuerCnpj(),
                issued.series(), issued.number(), now);
        Sql.update(c, "delete from invoice_skipped where charge_id = ?", issued.chargeId());
    }

    /** Every document of a series, by number (tests, and the admin's checks). */
    public static List<Issued> ofSeries(Connection c, String issuerCnpj, String series) throws SQLException {
        List<Issued> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select charge_id, invoice_id, number from invoice_of_charge"
                + " where issuer_cnpj = ? and series = ? order by number")) {
            Sql.bind(ps, issuerCnpj, series);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Issued(rs.getString(1), rs.getString(2), issuerCnpj, series, rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /**
     * Records why a charge the trigger would invoice is not invoiced (at most 500 characters, no personal data).
     *
     * @return {@code true} when the reason is new for this charge (the caller logs it once)
     */
    public static boolean skip(Connection c, String chargeId, String reason, Instant now) throws SQLException {
        String fitted = DeadLetters.fit(reason, 500);
        Optional<String> before = skipped(c, chargeId);
        if (before.isPresent()) {
            Sql.update(c, "update invoice_skipped set reason = ?, updated_at = ? where charge_id = ?", fitted, now,
                    chargeId);
            return !before.get().equals(fitted);
        }
        Sql.update(c, "insert into invoice_skipped (charge_id, reason, updated_at) values (?, ?, ?)", chargeId,
                fitted, now);
        return true;
    }

    /** Why a charge is not invoiced, when the trigger skipped it. */
    public static Optional<String> skipped(Connection c, String chargeId) throws SQLException {
        return Sql.first(c, "select reason from invoice_skipped where charge_id = ?", chargeId);
    }

    /** Remembers the appointment of a charge (none: forgotten). */
    public static void appointment(Connection c, String chargeId, String appointmentId) throws SQLException {
        if (appointmentId == null) {
            Sql.update(c, "delete from invoice_charge_appointment where charge_id = ?", chargeId);
        } else if (Sql.update(c, "update invoice_charge_appointment set appointment_id = ? where charge_id = ?",
                appointmentId, chargeId) == 0) {
            Sql.update(c, "insert into invoice_charge_appointment (charge_id, appointment_id) values (?, ?)",
                    chargeId, appointmentId);
        }
    }

    /** The charges seen for an appointment, in id order. */
    public static List<String> chargesOf(Connection c, String appointmentId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select charge_id from invoice_charge_appointment where"
                + " appointment_id = ? order by charge_id")) {
            Sql.bind(ps, appointmentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Whether an {@code Invoice} record the hub did not make names this charge (a source brought in the document its
     * own system issued). Reads the Invoice records only; called once per charge, just before it would be invoiced.
     */
    public static boolean namedByAnInvoice(Connection c, String chargeId) throws SQLException {
        String escaped = chargeId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return Sql.first(c, "select 1 from canonical_record where entity_type = 'Invoice' and payload like ? escape '\\'"
                + " and canonical_id not in (select invoice_id from invoice_of_charge) limit 1",
                "%\"chargeId\":\"" + escaped + "\"%").isPresent();
    }
}
