package dev.ponte.mapping;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast reader for the date and time patterns legacy exports use ({@code dd/MM/yyyy}, {@code yyyy-MM-dd},
 * {@code HH:mm}, {@code HH:mm:ss}): fixed-width two- and four-digit numbers between literal separators. It gives
 * exactly what the strict {@link java.time.format.DateTimeFormatter} of the same pattern gives, and fails where it
 * fails (a test compares both on valid, invalid and random input), without its general machinery, which was half of
 * the mapping engine's time per appointment row. Patterns with anything else (names, single letters, optional parts)
 * have no fast reader and use the formatter. Immutable, thread safe.
 */
final class FixedWidthPattern {

    private enum Field { DAY, MONTH, YEAR, HOUR, MINUTE, SECOND, LITERAL }

    private final Field[] fields;
    private final char[] literals;
    private final int length;

    private FixedWidthPattern(Field[] fields, char[] literals, int length) {
        this.fields = fields;
        this.literals = literals;
        this.length = length;
    }

    /** The fast reader of a pattern, or {@code null} when the pattern needs the general formatter. */
    static FixedWidthPattern compile(String pattern) {
        List<Field> fields = new ArrayList<>();
        StringBuilder literals = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            int run = 1;
            while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
                run++;
            }
            Field f = switch (c) {
                case 'd' -> run == 2 ? Field.DAY : null;
                case 'M' -> run == 2 ? Field.MONTH : null;
                case 'y', 'u' -> run == 4 ? Field.YEAR : null;
                case 'H' -> run == 2 ? Field.HOUR : null;
                case 'm' -> run == 2 ? Field.MINUTE : null;
                case 's' -> run == 2 ? Field.SECOND : null;
                default -> Character.isLetter(c) || c == '\'' || c == '[' || c == ']' || c == '#' || c == '{'
                        || c == '}' ? null : Field.LITERAL;
            };
            if (f == null) {
                return null;
            }
            int width = f == Field.YEAR ? 4 : f == Field.LITERAL ? 1 : 2;
            int times = f == Field.LITERAL ? run : 1;
            for (int t = 0; t < times; t++) {
                fields.add(f);
                literals.append(f == Field.LITERAL ? c : '\0');
                for (int w = 1; w < width; w++) { // the other positions of a number
                    fields.add(null);
                    literals.append('\0');
                }
            }
            i += run;
        }
        return new FixedWidthPattern(fields.toArray(Field[]::new), literals.toString().toCharArray(), fields.size());
    }

    /** @throws DateTimeException when the text does not match or is not a real date */
    LocalDate date(String text) {
        int[] v = read(text);
        checkTime(v);
        if (v[Field.DAY.ordinal()] < 0 || v[Field.MONTH.ordinal()] < 0 || v[Field.YEAR.ordinal()] < 0) {
            throw new DateTimeException("not a whole date");
        }
        return LocalDate.of(v[Field.YEAR.ordinal()], v[Field.MONTH.ordinal()], v[Field.DAY.ordinal()]);
    }

    /** @throws DateTimeException when the text does not match or is not a real time of day */
    LocalTime time(String text) {
        int[] v = read(text);
        if (v[Field.HOUR.ordinal()] < 0 || v[Field.MINUTE.ordinal()] < 0) {
            throw new DateTimeException("not a time of day");
        }
        if (v[Field.DAY.ordinal()] >= 0 || v[Field.MONTH.ordinal()] >= 0 || v[Field.YEAR.ordinal()] >= 0) {
            date(text); // a date in a time pattern must still be a real date, as the formatter checks
        }
        int second = v[Field.SECOND.ordinal()];
        return LocalTime.of(v[Field.HOUR.ordinal()], v[Field.MINUTE.ordinal()], Math.max(second, 0));
    }

    /** Time fields in a date pattern are still checked, as the strict formatter does. */
    private static void checkTime(int[] v) {
        if (v[Field.HOUR.ordinal()] > 23 || v[Field.MINUTE.ordinal()] > 59 || v[Field.SECOND.ordinal()] > 59) {
            throw new DateTimeException("time field out of range");
        }
    }

    private int[] read(String text) {
        if (text.length() != length) {
            throw new DateTimeException("'" + text + "' does not have the pattern's length");
        }
        int[] values = {-1, -1, -1, -1, -1, -1, -1};
        for (int i = 0; i < length; i++) {
            Field f = fields[i];
            if (f == null) {
                continue;
            }
            if (f == Field.LITERAL) {
                if (text.charAt(i) != literals[i]) {
                    throw new DateTimeException("separator expected at position " + i);
                }
                continue;
            }
            int width = f == Field.YEAR ? 4 : 2;
            int n = 0;
            for (int w = 0; w < width; w++) {
                char c = text.charAt(i + w);
                if (c < '0' || c > '9') {
                    throw new DateTimeException("digit expected at position " + (i + w));
                }
                n = n * 10 + (c - '0');
            }
            if (values[f.ordinal()] >= 0 && values[f.ordinal()] != n) {
                throw new DateTimeException("a field given twice with different values");
            }
            values[f.ordinal()] = n;
        }
        return values;
    }
}
