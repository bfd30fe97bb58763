package dev.ponte.connectors.sms;

import java.util.regex.Pattern;

/**
 * A provider's own error text made fit for a dead letter or a log: phone numbers (runs of five or more digits, with
 * or without {@code +} and separators) become {@code <number>}, line breaks spaces, and the text is cut at 200
 * characters. Providers quote the recipient in their messages ("The 'To' number +5511… is not valid"); the hub never
 * stores it outside the patient's record. Pure.
 */
final class ProviderText {

    private static final Pattern NUMBER = Pattern.compile("(\\+|\\()?[0-9][0-9 ().-]{3,}[0-9]");
    private static final int MAX = 200;

    private ProviderText() {
    }

    /** The scrubbed text, or {@code null} for {@code null} or blank. */
    static String scrub(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = NUMBER.matcher(text).replaceAll(m -> digits(m.group()) >= 5 ? "<number>" : m.group())
                .replaceAll("[\\r\\n\\t]+", " ").strip();
        return s.length() > MAX ? s.substring(0, MAX) + "…" : s;
    }

    private static long digits(String s) {
        return s.chars().filter(Character::isDigit).count();
    }
}
