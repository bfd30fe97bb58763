package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.OptionalLong;

/**
 * The numbers of fiscal documents, per issuer CNPJ and series ({@code invoice_number}), without gaps or repeats. A
 * number is taken on the caller's connection, in the transaction that writes the document: the series' row is read
 * with {@code select ... for update} and raised by one, so a second transaction taking a number of the same series
 * waits until the first commits (and then gets the next) or rolls back (and then gets the same number, given back).
 * Plain SQL, the same on H2 and PostgreSQL.
 */
public final class InvoiceNumbers {

    private InvoiceNumbers() {
    }

    /**
     * The key a series is numbered under: an NFS-e series as it is ({@code 1} to {@code 99999}, digits), an NF-e
     * series (model 55, 0 to 999) as {@code E} + its digits, so the two models of one issuer never share numbers
     * while keeping V7's tables ({@code series varchar(5)}).
     */
    public static String seriesKey(dev.ponte.model.InvoiceKind kind, String series) {
        return kind == dev.ponte.model.InvoiceKind.NFE ? "E" + series : series;
    }

    /**
     * Takes the next number of a series, in the caller's transaction.
     *
     * @param first the number of the series' first document, used only when the series has none yet (a clinic
     *              moving from another issuer continues its numbering)
     */
    public static long next(Connection c, String issuerCnpj, String series, long first) throws SQLException {
        if (first < 1) {
            throw new IllegalArgumentException("the first number of a series must be at least 1, was " + first);
        }
        OptionalLong last = lockLast(c, issuerCnpj, series);
        if (last.isEmpty()) {
            if (insertFirst(c, issuerCnpj, series, first)) {
                return first;
            }
            // another transaction created the series meanwhile and committed: its row, locked now, counts on
            last = lockLast(c, issuerCnpj, series);
            if (last.isEmpty()) {
                throw new StoreException("invoice_number: the series " + series + " of the issuer " + issuerCnpj
                        + " was neither created nor found", null);
            }
        }
        long next = Math.addExact(last.getAsLong(), 1);
        Sql.update(c, "update invoice_number set last_number = ? where issuer_cnpj = ? and series = ?", next,
                issuerCnpj, series);
        return next;
    }

    /** The last number taken in a series (committed, or taken by this transaction), if any. */
    public static OptionalLong last(Connection c, String issuerCnpj, String series) throws SQLException {
        return Sql.first(c, "select last_number from invoice_number where issuer_cnpj = ? and series = ?",
                issuerCnpj, series).map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    }

    private static OptionalLong lockLast(Connection c, String issuerCnpj, String series) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_number from invoice_number where issuer_cnpj = ?"
                + " and series = ? for update")) {
            Sql.bind(ps, issuerCnpj, series);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Creates a series' row holding its first number; {@code false} when another transaction created it first. Two
     * first uses at once both find no row, both insert, and the primary key lets one through: the other waits for
     * it, is refused (unique violation, SQLState 23505), rolls back to its savepoint (on PostgreSQL a failed
     * statement would otherwise abort the whole transaction) and counts on from the winner's row.
     */
    private static boolean insertFirst(Connection c, String issuerCnpj, String series, long first)
            throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            Sql.update(c, "insert into invoice_number (issuer_cnpj, series, last_number) values (?, ?, ?)",
                    issuerCnpj, series, first);
            c.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(before);
            return false;
        }
    }
}
