package dev.ponte.connectors.fiscal;

/**
 * Check digits of Brazilian federal registrations (mod 11): CPF (11 digits) and the numeric CNPJ (14 digits).
 * Pure functions; never logs or echoes the number.
 */
public final class TaxIds {

    private TaxIds() {
    }

    /** True when {@code cpf} is 11 digits, not all the same digit, with both check digits right. */
    public static boolean isValidCpf(String cpf) {
        if (cpf == null || cpf.length() != 11 || !DpsId.allDigits(cpf) || sameDigit(cpf)) {
            return false;
        }
        return checkDigit(cpf, 9, 10) == cpf.charAt(9) - '0' && checkDigit(cpf, 10, 11) == cpf.charAt(10) - '0';
    }

    /** True when {@code cnpj} is 14 digits, not all the same digit, with both check digits right. */
    public static boolean isValidCnpj(String cnpj) {
        if (cnpj == null || cnpj.length() != 14 || !DpsId.allDigits(cnpj) || sameDigit(cnpj)) {
            return false;
        }
        return cnpjDigit(cnpj, 12) == cnpj.charAt(12) - '0' && cnpjDigit(cnpj, 13) == cnpj.charAt(13) - '0';
    }

    private static int checkDigit(String digits, int length, int firstWeight) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (digits.charAt(i) - '0') * (firstWeight - i);
        }
        int r = (sum * 10) % 11;
        return r == 10 ? 0 : r;
    }

    private static int cnpjDigit(String digits, int length) {
        int sum = 0;
        int weight = length - 7; // 5 for the first digit, 6 for the second, cycling 9..2
        for (int i = 0; i < length; i++) {
            sum += (digits.charAt(i) - '0') * weight;
            weight = weight == 2 ? 9 : weight - 1;
        }
        int r = sum % 11;
        return r < 2 ? 0 : 11 - r;
    }

    private static boolean sameDigit(String s) {
        return s.chars().allMatch(c -> c == s.charAt(0));
    }
}
