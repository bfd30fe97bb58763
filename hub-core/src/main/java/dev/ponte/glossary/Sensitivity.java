package dev.ponte.glossary;

/**
 * How much protection a canonical field needs under the LGPD. Drives masking in logs, dead-letter views, previews
 * and the admin API.
 */
public enum Sensitivity {
    /** Not personal data: shown as is. */
    NONE,
    /** Identifies a person (name, CPF, phone, e-mail, address): shown with all but the last two characters masked. */
    PERSONAL,
    /** Health data, a special category under LGPD art. 11 (allergies, notes): never shown. */
    HEALTH,
    /** A person's financial data (amounts paid, card numbers): never shown. */
    FINANCIAL;

    /** The value as it may be shown to someone not entitled to see it; {@code null} stays {@code null}. */
    public String mask(String value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case NONE -> value;
            case PERSONAL -> value.length() <= 4 ? "***" : "***" + value.substring(value.length() - 2);
            case HEALTH, FINANCIAL -> "***";
        };
    }

    /** Parses the glossary's spelling ({@code personal}, {@code none}...). */
    public static Sensitivity parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
