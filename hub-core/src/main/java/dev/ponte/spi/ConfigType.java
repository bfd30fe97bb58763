package dev.ponte.spi;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The type of a configuration value, with how to read it from text. What a value of the type must further satisfy
 * (a range, a set of choices, a URL scheme) is the field's {@link ConfigValidator}.
 *
 * @since 0.1
 */
public enum ConfigType {
    STRING, INT, BOOLEAN, PATH, URL,
    /** Milliseconds, or a number with a unit: 500ms, 2s, 5m, 1h. */
    DURATION,
    /**
     * Comma-separated values, each trimmed, empty ones dropped: {@code a, b,c} is {@code [a, b, c]}.
     *
     * @since 0.2
     */
    LIST,
    /**
     * One of a fixed set of words, given by the field's {@link ConfigValidator#oneOf} (declare it with
     * {@link ConfigField#choice}).
     *
     * @since 0.2
     */
    ENUM,
    /**
     * A TCP port, 1 to 65535.
     *
     * @since 0.2
     */
    PORT;

    /**
     * Reads a value.
     *
     * @return the typed value: String (STRING, ENUM), Integer (INT, PORT), Boolean, java.nio.file.Path, URI, Long
     *         milliseconds (DURATION) or an unmodifiable {@code List<String>} (LIST)
     * @throws IllegalArgumentException with a message fit for the user when the text is not of this type
     */
    public Object parse(String text) {
        String t = text.strip();
        switch (this) {
            case INT:
                try {
                    return Integer.valueOf(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number");
                }
            case PORT:
                try {
                    int port = Integer.parseInt(t);
                    if (port >= 1 && port <= 65535) {
                        return port;
                    }
                } catch (NumberFormatException e) {
                    // below
                }
                throw new IllegalArgumentException("must be a port number from 1 to 65535");
            case BOOLEAN:
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(t);
                }
                throw new IllegalArgumentException("must be true or false");
            case PATH:
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("must be a path");
                }
                try {
                    return java.nio.file.Path.of(t);
                } catch (java.nio.file.InvalidPathException e) {
                    throw new IllegalArgumentException("must be a path (" + e.getReason() + ")");
                }
            case URL:
                try {
                    URI uri = new URI(t);
                    if (uri.getScheme() == null) {
                        throw new IllegalArgumentException("must be an absolute URL such as https://host/path");
                    }
                    return uri;
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("must be a URL (" + e.getReason() + ")");
                }
            case DURATION:
                return parseMillis(t);
            case LIST:
                return Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            case ENUM:
                return t;
            default:
                return text;
        }
    }

    private static Long parseMillis(String t) {
        String s = t.toLowerCase(Locale.ROOT);
        long factor = 1;
        String digits = s;
        if (s.endsWith("ms")) {
            digits = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            factor = 1000;
            digits = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factor = 60_000;
            digits = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            factor = 3_600_000;
            digits = s.substring(0, s.length() - 1);
        }
        try {
            long v = Long.parseLong(digits.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("must be a duration such as 500ms, 2s, 5m or 1h");
        }
    }
}
