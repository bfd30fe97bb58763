package dev.ponte.draft;

import dev.ponte.mapping.Kind;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the values of a sample column look like: a CPF, a phone, an e-mail, a date or time with its pattern, a
 * number with its locale, a yes/no, or text (with its distinct values when there are few). Each shape comes with
 * the transforms a mapping needs to read it. Decided on every non-empty value of the sample, never on one.
 *
 * @param kind       the kind of value the transforms give
 * @param what       in words, for the draft's comments ("dates as yyyy-MM-dd"); never a value of the sample
 * @param transforms the transforms, as written in a mapping file ({@code [{date: yyyy-MM-dd}]})
 * @param values     the distinct values, when there are at most {@link #VALUE_SET} of them, else empty
 * @param unique     whether every row has a value and no two are the same (a key candidate)
 * @param ambiguous  a second reading the values also fit (dd/MM against MM/dd), said in the draft, or {@code null}
 */
public record ColumnShape(Kind kind, String what, String transforms, Set<String> values, boolean unique,
                          String ambiguous) {

    /** Up to this many distinct values are a value set (statuses, yes/no, plans). */
    public static final int VALUE_SET = 12;

    private static final Pattern CPF = Pattern.compile("\\d{3}\\.?\\d{3}\\.?\\d{3}-?\\d{2}");
    private static final Pattern PHONE = Pattern.compile("\\+?[\\d\\s().-]{10,20}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");
    private static final Pattern EN_NUMBER = Pattern.compile("-?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?");
    private static final Pattern BR_NUMBER = Pattern.compile("-?(R\\$\\s?)?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?");
    private static final Set<String> YES_NO = Set.of("S", "N", "SIM", "NAO", "NÃO", "Y", "YES", "NO", "TRUE", "FALSE");
    private static final List<String> DATES = List.of("yyyy-MM-dd", "dd/MM/yyyy", "dd-MM-yyyy", "dd.MM.yyyy",
            "MM/dd/yyyy");
    private static final List<String> TIMES = List.of("HH:mm", "HH:mm:ss", "hh:mm a", "h:mm a");

    /** The shape of a column from its sample values (blank values are ignored). */
    public static ColumnShape of(List<String> sample) {
        List<String> values = sample.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
        Set<String> distinct = new LinkedHashSet<>(values);
        boolean unique = !values.isEmpty() && values.size() == sample.size() && distinct.size() == values.size();
        Set<String> set = distinct.size() <= VALUE_SET ? distinct : Set.of();
        if (values.isEmpty()) {
            return new ColumnShape(Kind.TEXT, "always empty in the sample", "[trim]", Set.of(), false, null);
        }
        String misfits;
        // no shape quotes a value: a draft is a file an admin may share or commit, and any column may be personal
        if ((misfits = mostly(values, v -> CPF.matcher(v).matches())) != null) {
            return new ColumnShape(Kind.TEXT, "CPFs" + unquoted(misfits), "[digits]", set, unique, null);
        }
        if ((misfits = mostly(values, v -> EMAIL.matcher(v).matches())) != null) {
            return new ColumnShape(Kind.TEXT, "e-mail addresses" + unquoted(misfits), "[trim, lower]", set, unique, null);
        }
        for (String p : DATES) {
            if ((misfits = mostly(values, v -> parses(v, p, true))) != null) {
                String other = p.equals("dd/MM/yyyy") && mostly(values, v -> parses(v, "MM/dd/yyyy", true)) != null
                        ? "the values are also dates as MM/dd/yyyy (month first): check one whose day is over 12"
                        : null;
                return new ColumnShape(Kind.DATE, "dates as " + p + unquoted(misfits), "[{date: " + p + "}]", set,
                        unique, other);
            }
        }
        for (String p : TIMES) {
            if ((misfits = mostly(values, v -> parses(v, p, false))) != null) {
                return new ColumnShape(Kind.TIME, "times as " + p + unquoted(misfits),
                        "[{time: \"" + p + "\"}]", set, unique, null);
            }
        }
        if ((misfits = mostly(values, ColumnShape::isoDateTime)) != null) {
            return new ColumnShape(Kind.DATETIME, "ISO 8601 date-times" + unquoted(misfits), "[datetime]", set, unique, null);
        }
        if (values.stream().allMatch(v -> YES_NO.contains(v.toUpperCase(Locale.ROOT)))) {
            return new ColumnShape(Kind.BOOLEAN, "yes/no values", "[boolean]", set, unique, null);
        }
        if ((misfits = mostly(values, v -> INTEGER.matcher(v).matches())) != null) {
            return new ColumnShape(Kind.INTEGER, "whole numbers" + unquoted(misfits), "[integer]", set, unique, null);
        }
        String en = values.stream().anyMatch(v -> v.matches(".*\\.\\d{1,2}"))
                ? mostly(values, v -> EN_NUMBER.matcher(v).matches()) : null;
        String br = values.stream().anyMatch(v -> v.matches(".*,\\d{1,2}"))
                ? mostly(values, v -> BR_NUMBER.matcher(v).matches()) : null;
        if (en != null && br == null) {
            return new ColumnShape(Kind.DECIMAL, "numbers as 1,234.56 (en)" + unquoted(en), "[{decimal: en}]", set,
                    unique, null);
        }
        if (br != null) {
            return new ColumnShape(Kind.DECIMAL, "numbers as 1.234,56 (pt-BR)" + unquoted(br),
                    "[{decimal: pt-BR}]", set, unique, null);
        }
        if ((misfits = mostly(values, v -> PHONE.matcher(v).matches() && v.replaceAll("\\D", "").length() >= 10))
                != null) {
            return new ColumnShape(Kind.TEXT, "phone numbers" + unquoted(misfits), "[phone]", set, unique, null);
        }
        return new ColumnShape(Kind.TEXT, "text", "[trim]", set, unique, null);
    }

    /**
     * {@code null} unless at least nine values in ten fit (a bad row or two does not hide a column's shape); else
     * "" or, when some do not fit, the ones that do not, for the draft's comment.
     */
    private static String mostly(List<String> values, java.util.function.Predicate<String> fits) {
        List<String> misfits = values.stream().filter(fits.negate()).distinct().toList();
        long bad = values.stream().filter(fits.negate()).count();
        if (bad * 10 > values.size() || bad == values.size()) {
            return null;
        }
        return misfits.isEmpty() ? "" : "; not fitting: " + misfits.stream().limit(3).map(v -> "'" + v + "'")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String unquoted(String misfits) {
        return misfits.isEmpty() ? "" : "; some values of the sample do not fit (bad rows?)";
    }

    private static boolean parses(String value, String pattern, boolean date) {
        try {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
            if (date) {
                LocalDate.parse(value, f);
            } else {
                LocalTime.parse(value, f);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isoDateTime(String v) {
        try {
            OffsetDateTime.parse(v);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
