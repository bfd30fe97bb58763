package dev.ponte.spi;

import dev.ponte.glossary.EditDistance;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a typed configuration value must further satisfy, as Kafka's {@code ConfigDef.Validator}: a range, a set of
 * choices, a URL scheme. Declared on the {@link ConfigField} with {@link ConfigField#validatedBy}; the hub checks it
 * for every instance at start-up, with the default values too, and reports the key with {@link #describe()}'s words.
 * Implementations must be pure: no I/O, no state.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ConfigValidator {

    /**
     * Checks a parsed value (of the field's {@link ConfigType#parse} type).
     *
     * @throws IllegalArgumentException with a message fit for the admin that does not repeat the value (the hub
     *                                  adds it, unless the field is secret)
     */
    void check(Object value);

    /** What a valid value is, for messages and {@code bin/ponte connectors}; e.g. "from 1 to 10000". */
    default String describe() {
        return "";
    }

    /** A whole number (INT, PORT) or a duration in milliseconds (DURATION) from {@code min} to {@code max}. */
    static ConfigValidator between(long min, long max) {
        String words = "from " + min + " to " + max;
        return described(v -> {
            long n = ((Number) v).longValue();
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be " + words);
            }
        }, words);
    }

    /** A duration from {@code min} to {@code max}. */
    static ConfigValidator between(Duration min, Duration max) {
        String words = "from " + words(min) + " to " + words(max);
        return described(v -> {
            long ms = (Long) v;
            if (ms < min.toMillis() || ms > max.toMillis()) {
                throw new IllegalArgumentException("must be " + words);
            }
        }, words);
    }

    /** One of these words, exactly (an ENUM field); a near miss is named in the message. */
    static ConfigValidator oneOf(String... choices) {
        List<String> all = List.of(choices);
        String words = "one of " + String.join(", ", all);
        return described(v -> {
            String s = v.toString();
            if (!all.contains(s)) {
                String near = all.stream().filter(c -> EditDistance.between(c, s.toLowerCase(Locale.ROOT)) <= 2)
                        .findFirst().map(c -> "; did you mean " + c + "?").orElse("");
                throw new IllegalArgumentException("must be " + words + near);
            }
        }, words);
    }

    /** A URL with one of these schemes, e.g. {@code https}. */
    static ConfigValidator schemes(String... schemes) {
        List<String> all = List.of(schemes);
        String words = "a " + String.join(" or ", all) + " URL with a host";
        return described(v -> {
            URI uri = (URI) v;
            if (uri.getScheme() == null || !all.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("must be " + words);
            }
        }, words);
    }

    /** A text matching {@code regex} entirely; {@code what} says in words what that is ("a path starting with /"). */
    static ConfigValidator matching(String regex, String what) {
        Pattern p = Pattern.compile(regex);
        return described(v -> {
            if (!p.matcher(v.toString()).matches()) {
                throw new IllegalArgumentException("must be " + what);
            }
        }, what);
    }

    /** A Java regular expression (for example a file-name pattern). */
    static ConfigValidator regex() {
        return described(v -> {
            try {
                Pattern.compile(v.toString());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("must be a regular expression (" + e.getDescription()
                        + " at position " + e.getIndex() + ")");
            }
        }, "a regular expression");
    }

    /** A time-zone id such as {@code America/Sao_Paulo}. */
    static ConfigValidator zoneId() {
        return described(v -> {
            try {
                ZoneId.of(v.toString());
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("must be a time-zone id such as America/Sao_Paulo");
            }
        }, "a time-zone id such as America/Sao_Paulo");
    }

    /** A LIST with at least one value. */
    static ConfigValidator nonEmpty() {
        return described(v -> {
            if (((List<?>) v).isEmpty()) {
                throw new IllegalArgumentException("must list at least one value");
            }
        }, "at least one value");
    }

    /** A text of at least {@code min} characters (a signing secret, a token). */
    static ConfigValidator minLength(int min) {
        String words = "at least " + min + " characters";
        return described(v -> {
            if (v.toString().length() < min) {
                throw new IllegalArgumentException("must have " + words);
            }
        }, words);
    }

    private static ConfigValidator described(ConfigValidator check, String words) {
        return new ConfigValidator() {
            @Override
            public void check(Object value) {
                check.check(value);
            }

            @Override
            public String describe() {
                return words;
            }
        };
    }

    private static String words(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms > 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
