package dev.ponte.validation.br;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Optional;

/** Brazilian phone numbers in E.164 (+55 DDD number), backed by libphonenumber. Thread safe. */
public final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private Phones() {
    }

    /**
     * Normalizes a phone number as typed in a clinic system ("(11) 99121-4283", "11991214283", "+55 11 ...") to E.164.
     *
     * @param raw             the number as found in the source
     * @param defaultAreaCode DDD to assume when the number has 8 or 9 digits only; may be {@code null}
     * @return the E.164 form, or empty when the number is not a valid Brazilian (or international) number
     */
    public static Optional<String> toE164(String raw, String defaultAreaCode) {
        String digits = BrazilianIds.digitsOnly(raw);
        String candidate = raw.trim().startsWith("+") ? "+" + digits : digits;
        if (!candidate.startsWith("+") && defaultAreaCode != null && (digits.length() == 8 || digits.length() == 9)) {
            candidate = defaultAreaCode + digits;
        }
        try {
            PhoneNumber number = UTIL.parse(candidate, "BR");
            if (!UTIL.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether the value is already a valid number in E.164 form. */
    public static boolean isE164(String value) {
        if (!value.startsWith("+")) {
            return false;
        }
        return toE164(value, null).map(value::equals).orElse(false);
    }
}
