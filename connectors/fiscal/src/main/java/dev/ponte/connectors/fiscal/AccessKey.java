package dev.ponte.connectors.fiscal;

import java.util.Objects;

/**
 * The 44-digit access key ("chave de acesso") of an NF-e / NFC-e, as the {@code Id} of {@code infNFe} carries it
 * after the prefix {@code NFe}: {@code cUF(2) AAMM(4) CNPJ(14) mod(2) serie(3) nNF(9) tpEmis(1) cNF(8) cDV(1)}. The
 * last digit is a modulo-11 check digit over the first 43 (weights 2 to 9 repeated from the right; the digit is
 * {@code 11 - (sum mod 11)}, and 0 when that gives 10 or 11). Immutable.
 *
 * @param value the 44 digits
 */
public record AccessKey(String value) {

    /** Number of digits of a key. */
    public static final int LENGTH = 44;

    public AccessKey {
        Objects.requireNonNull(value, "access key");
        requireDigits("access key", value, LENGTH);
        int expected = checkDigit(value.substring(0, LENGTH - 1));
        int actual = value.charAt(LENGTH - 1) - '0';
        if (expected != actual) {
            throw new IllegalArgumentException("access key " + value + ": check digit (cDV, the 44th digit) is "
                    + actual + ", but the first 43 digits give " + expected);
        }
    }

    /**
     * Builds a key and computes its check digit.
     *
     * @param cUF    IBGE code of the state, 2 digits (11 to 53; 35 is São Paulo)
     * @param aamm   year and month of issue, {@code AAMM} (4 digits, month 01 to 12)
     * @param cnpj   the issuer's CNPJ, 14 digits (punctuation is not accepted: strip it first)
     * @param mod    document model, {@code 55} (NF-e) or {@code 65} (NFC-e)
     * @param serie  series, 0 to 999
     * @param nNF    number, 1 to 999 999 999
     * @param tpEmis emission type, 1 to 9 (1 is normal)
     * @param cNF    the 8-digit random code the issuer chose, 0 to 99 999 999
     */
    public static AccessKey of(int cUF, String aamm, String cnpj, int mod, int serie, long nNF, int tpEmis,
                               int cNF) {
        if (cUF < 11 || cUF > 53) {
            throw new IllegalArgumentException("cUF (state code) must be an IBGE state code from 11 to 53, got "
                    + cUF);
        }
        Objects.requireNonNull(aamm, "AAMM (year and month)");
        requireDigits("AAMM (year and month)", aamm, 4);
        int month = Integer.parseInt(aamm.substring(2));
        if (month < 1 || month > 12) {
            throw new IllegalArgumentException("AAMM (year and month) " + aamm + ": month " + aamm.substring(2)
                    + " is not 01 to 12");
        }
        Objects.requireNonNull(cnpj, "CNPJ");
        requireDigits("CNPJ", cnpj, 14);
        if (mod != 55 && mod != 65) {
            throw new IllegalArgumentException("mod (model) must be 55 (NF-e) or 65 (NFC-e), got " + mod);
        }
        if (serie < 0 || serie > 999) {
            throw new IllegalArgumentException("serie must be 0 to 999, got " + serie);
        }
        if (nNF < 1 || nNF > 999_999_999L) {
            throw new IllegalArgumentException("nNF (number) must be 1 to 999999999, got " + nNF);
        }
        if (tpEmis < 1 || tpEmis > 9) {
            throw new IllegalArgumentException("tpEmis (emission type) must be 1 to 9, got " + tpEmis);
        }
        if (cNF < 0 || cNF > 99_999_999) {
            throw new IllegalArgumentException("cNF (numeric code) must be 0 to 99999999 (8 digits), got " + cNF);
        }
        String first43 = String.format("%02d%s%s%02d%03d%09d%d%08d", cUF, aamm, cnpj, mod, serie, nNF, tpEmis, cNF);
        return new AccessKey(first43 + checkDigit(first43));
    }

    /**
     * Parses a key, with or without the {@code NFe} prefix of the {@code Id} attribute.
     *
     * @throws IllegalArgumentException when it is not 44 digits or its check digit is wrong
     */
    public static AccessKey parse(String text) {
        Objects.requireNonNull(text, "access key");
        String digits = text.strip();
        if (digits.startsWith("NFe")) {
            digits = digits.substring(3);
        }
        return new AccessKey(digits);
    }

    /** The modulo-11 check digit (cDV) of the first 43 digits of a key. */
    public static int checkDigit(String first43) {
        Objects.requireNonNull(first43, "first 43 digits of the access key");
        requireDigits("first 43 digits of the access key", first43, LENGTH - 1);
        return mod11(first43);
    }

    /** The modulo-11 check digit of fiscal keys (weights 2 to 9 from the right; 10 and 11 give 0). */
    static int mod11(String digits) {
        int sum = 0;
        int weight = 2;
        for (int i = digits.length() - 1; i >= 0; i--) {
            sum += (digits.charAt(i) - '0') * weight;
            weight = weight == 9 ? 2 : weight + 1;
        }
        int dv = 11 - (sum % 11);
        return dv >= 10 ? 0 : dv;
    }

    /** The {@code Id} attribute of {@code infNFe}: {@code NFe} and the 44 digits. */
    public String infNFeId() {
        return "NFe" + value;
    }

    public String cUF() {
        return value.substring(0, 2);
    }

    public String aamm() {
        return value.substring(2, 6);
    }

    public String cnpj() {
        return value.substring(6, 20);
    }

    public String mod() {
        return value.substring(20, 22);
    }

    public String serie() {
        return value.substring(22, 25);
    }

    public String nNF() {
        return value.substring(25, 34);
    }

    public String tpEmis() {
        return value.substring(34, 35);
    }

    public String cNF() {
        return value.substring(35, 43);
    }

    public int cDV() {
        return value.charAt(43) - '0';
    }

    @Override
    public String toString() {
        return value;
    }

    private static void requireDigits(String part, String text, int length) {
        if (text.length() != length) {
            throw new IllegalArgumentException(part + " must have " + length + " digits, got " + text.length()
                    + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(part + " must be digits only, found '" + c + "' at position "
                        + (i + 1));
            }
        }
    }
}
