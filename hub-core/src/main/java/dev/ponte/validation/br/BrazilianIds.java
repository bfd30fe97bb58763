package dev.ponte.validation.br;

import java.util.Set;

/**
 * Check-digit arithmetic and formats of Brazilian identifiers. Pure functions, thread safe.
 * The constraint validators and the mapping transforms both call these; nothing else re-implements them.
 */
public final class BrazilianIds {

    /** The 26 states and the Federal District. */
    public static final Set<String> STATES = Set.of(
            "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
            "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO");

    private BrazilianIds() {
    }

    /** Removes every character that is not a digit ("529.982.247-25" → "52998224725"). */
    public static String digitsOnly(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Why a CPF is invalid, or {@code null} when it is valid. Expects the 11 digits without mask. */
    public static String cpfProblem(String cpf) {
        if (cpf.length() != 11 || !cpf.chars().allMatch(Character::isDigit)) {
            return "cpf-format";
        }
        if (cpf.chars().distinct().count() == 1) {
            return "cpf-check-digit";
        }
        int d1 = mod11Digit(cpf, 9, 10);
        int d2 = mod11Digit(cpf, 10, 11);
        return (d1 == cpf.charAt(9) - '0' && d2 == cpf.charAt(10) - '0') ? null : "cpf-check-digit";
    }

    private static int mod11Digit(String digits, int length, int firstWeight) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (digits.charAt(i) - '0') * (firstWeight - i);
        }
        int rest = sum % 11;
        return rest < 2 ? 0 : 11 - rest;
    }

    /**
     * Why a CNPJ is invalid, or {@code null} when it is valid. Expects 14 characters without mask: 12 letters or
     * digits (the alphanumeric form of IN RFB 2.229/2024, issued from July 2026) followed by two check digits.
     * Each character is worth its ASCII code minus 48, so a purely numeric CNPJ validates exactly as before.
     */
    public static String cnpjProblem(String cnpj) {
        if (cnpj.length() != 14) {
            return "cnpj-format";
        }
        for (int i = 0; i < 12; i++) {
            char c = cnpj.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
                return "cnpj-format";
            }
        }
        if (!Character.isDigit(cnpj.charAt(12)) || !Character.isDigit(cnpj.charAt(13))) {
            return "cnpj-format";
        }
        if (cnpj.chars().distinct().count() == 1) {
            return "cnpj-check-digit";
        }
        int d1 = cnpjDigit(cnpj, 12);
        int d2 = cnpjDigit(cnpj, 13);
        return (d1 == cnpj.charAt(12) - '0' && d2 == cnpj.charAt(13) - '0') ? null : "cnpj-check-digit";
    }

    private static int cnpjDigit(String cnpj, int length) {
        int sum = 0;
        int weight = length - 7; // 5 for the first digit, 6 for the second; cycles 9..2
        for (int i = 0; i < length; i++) {
            sum += (cnpj.charAt(i) - '0') * weight;
            weight = weight == 2 ? 9 : weight - 1;
        }
        int rest = sum % 11;
        return rest < 2 ? 0 : 11 - rest;
    }

    /** Removes the mask of a CNPJ ("12.ABC.345/01DE-35" → "12ABC34501DE35"), upper-casing letters. */
    public static String unmaskCnpj(String value) {
        StringBuilder sb = new StringBuilder(14);
        for (int i = 0; i < value.length(); i++) {
            char c = Character.toUpperCase(value.charAt(i));
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A CEP is eight digits (no mask). */
    public static boolean isCep(String cep) {
        return cep.length() == 8 && cep.chars().allMatch(Character::isDigit);
    }

    public static boolean isState(String uf) {
        return STATES.contains(uf);
    }
}
