package dev.ponte.connectors.fiscal;

import java.util.Objects;

/**
 * The {@code Id} attribute of {@code infDPS} (NFS-e Nacional, leiaute 1.00, type {@code TSIdDPS}): 45 characters,
 * {@code "DPS"} + municipality of emission (7 digits, IBGE) + registration type of the issuer (1 = CPF, 2 = CNPJ) +
 * the issuer's federal registration (14 digits; a CPF is left-padded with zeros) + series (5 digits, zero-padded)
 * + number (15 digits, zero-padded). The signature of the DPS references {@code infDPS} by this Id.
 *
 * <p>Only the layout is checked here (digits and lengths); check digits of the CPF/CNPJ are {@link TaxIds}'s job.
 * Leiaute 1.00 has no room for the alphanumeric CNPJ: the Id and {@code TSCNPJ} are digits only.
 */
public record DpsId(String municipalityCode, RegistrationType registrationType, String registration, String series,
                    long number) {

    /** Length of every DPS Id. */
    public static final int LENGTH = 45;
    /** The largest DPS number ({@code TSNumDPS}: 1 to 15 digits, no leading zero). */
    public static final long MAX_NUMBER = 999_999_999_999_999L;

    /** Registration type of the issuer, the Id's 11th character. */
    public enum RegistrationType {
        CPF('1', 11), CNPJ('2', 14);

        private final char code;
        private final int digits;

        RegistrationType(char code, int digits) {
            this.code = code;
            this.digits = digits;
        }

        /** The digit written in the Id. */
        public char code() {
            return code;
        }

        /** How many digits the registration has (before padding to 14). */
        public int digits() {
            return digits;
        }
    }

    /** Same checks as {@link #of}; {@code registration} is kept unpadded (11 digits for a CPF, 14 for a CNPJ). */
    public DpsId {
        Objects.requireNonNull(registrationType, "registration type");
        requireDigits("municipality code", municipalityCode, 7, 7, "exactly 7 digits (IBGE code)");
        requireDigits(registrationType + " of the issuer", registration, registrationType.digits(),
                registrationType.digits(), "exactly " + registrationType.digits() + " digits, no mask");
        requireDigits("series", series, 1, 5, "1 to 5 digits");
        if (number < 1 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("number: must be between 1 and " + MAX_NUMBER + " (15 digits), was "
                    + number);
        }
    }

    /**
     * Builds an Id from its parts.
     *
     * @param municipalityCode IBGE code of the municipality of emission (the issuer's), 7 digits
     * @param registrationType CPF or CNPJ of the issuer
     * @param registration     the issuer's CPF (11 digits) or CNPJ (14 digits), no mask
     * @param series           the DPS series, 1 to 5 digits (padded to 5 in the Id)
     * @param number           the DPS number, 1 to {@value #MAX_NUMBER}
     * @throws IllegalArgumentException naming the part and the rule it breaks
     */
    public static DpsId of(String municipalityCode, RegistrationType registrationType, String registration,
                           String series, long number) {
        return new DpsId(municipalityCode, registrationType, registration, series, number);
    }

    /**
     * Reads an Id back into its parts.
     *
     * @throws IllegalArgumentException when the text is not 45 characters of {@code DPS} + 42 digits, or a part is
     *                                  invalid (unknown registration type, a CPF whose padding is not zeros, number 0)
     */
    public static DpsId parse(String id) {
        if (id == null || id.length() != LENGTH || !id.startsWith("DPS") || !allDigits(id.substring(3))) {
            throw new IllegalArgumentException("DPS Id: must be 'DPS' followed by 42 digits (45 characters), was "
                    + (id == null ? "null" : id.length() + " characters"));
        }
        String municipality = id.substring(3, 10);
        char type = id.charAt(10);
        String registration = id.substring(11, 25);
        String series = id.substring(25, 30);
        long number = Long.parseLong(id.substring(30, 45));
        RegistrationType registrationType;
        if (type == RegistrationType.CNPJ.code()) {
            registrationType = RegistrationType.CNPJ;
        } else if (type == RegistrationType.CPF.code()) {
            registrationType = RegistrationType.CPF;
            if (!registration.startsWith("000")) {
                throw new IllegalArgumentException("DPS Id: registration type 1 (CPF) needs 3 leading zeros before"
                        + " the 11-digit CPF");
            }
            registration = registration.substring(3);
        } else {
            throw new IllegalArgumentException("DPS Id: registration type must be 1 (CPF) or 2 (CNPJ), was " + type);
        }
        return new DpsId(municipality, registrationType, registration, series, number);
    }

    /** The 45-character Id. */
    public String value() {
        return "DPS" + municipalityCode + registrationType.code() + "0".repeat(14 - registration.length())
                + registration + "0".repeat(5 - series.length()) + series + pad15(number);
    }

    @Override
    public String toString() {
        return value();
    }

    private static String pad15(long n) {
        String s = Long.toString(n);
        return "0".repeat(15 - s.length()) + s;
    }

    private static void requireDigits(String part, String value, int min, int max, String rule) {
        if (value == null || value.length() < min || value.length() > max || !allDigits(value)) {
            throw new IllegalArgumentException(part + ": must be " + rule + ", was "
                    + (value == null ? "missing" : value.length() + " characters"
                    + (allDigits(value) ? "" : " with non-digits")));
        }
    }

    static boolean allDigits(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
