package dev.ponte.mapping;

import dev.ponte.mapping.TransformLibrary.BadArgument;
import dev.ponte.mapping.TransformLibrary.Step;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static dev.ponte.mapping.TransformLibrary.blankToNull;

/**
 * Values computed from others, from a fixed and closed set (no expression language, nothing a mapping file could
 * make execute): a date-time plus a duration, the first non-empty of several columns, sums and differences of
 * several columns, a product with a constant, a percentage, and the parts of a date. Kinds are checked when the
 * mapping loads like every other transform's. Decimal results are rounded HALF_EVEN to 2 places (centavos).
 */
final class ComputedTransforms {

    /** Money scale: every decimal this class computes has 2 places, rounded the banker's way. */
    static final int SCALE = 2;
    private static final Pattern DURATION = Pattern.compile("\\d{1,6}([.,]\\d{1,4})?");
    private static final Set<String> UNITS = Set.of("minutes", "hours");

    private ComputedTransforms() {
    }

    /** {@code first-non-empty}: several columns → the first cell that is not blank. */
    static Transform firstNonEmpty(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return new Step("first-non-empty", Kind.LIST, Kind.TEXT, (v, r) -> {
            if (v == null) {
                return null;
            }
            for (Object o : (List<?>) v) {
                String s = o == null ? null : blankToNull(((String) o).strip());
                if (s != null) {
                    return s;
                }
            }
            return null;
        });
    }

    /**
     * {@code plus-duration}: a date-time (or time) plus a constant ({@code {minutes: 50}}, {@code {hours: 1}}) or a
     * column ({@code {column: DURACAO, unit: minutes}}; whole or decimal, {@code 1,5} or {@code 1.5}). An empty
     * duration cell gives no value, so that a required end time is reported as missing, not guessed.
     */
    static Transform plusDuration(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        Kind on = kind == Kind.TIME ? Kind.TIME : Kind.DATETIME;
        String example = "{plus-duration: {column: DURACAO, unit: minutes}} or {plus-duration: {minutes: 50}}";
        Set<String> unknown = new TreeSet<>(opts.keySet());
        unknown.removeAll(Set.of("column", "unit", "minutes", "hours"));
        if (!unknown.isEmpty() || opts.isEmpty()) {
            throw new BadArgument("takes column and unit, or minutes, or hours: " + example);
        }
        if (opts.containsKey("column")) {
            String column = YamlNodes.text(opts.get("column").getValueNode());
            String unit = opts.containsKey("unit") ? YamlNodes.text(opts.get("unit").getValueNode()) : null;
            if (column == null || column.isBlank() || unit == null || !UNITS.contains(unit)
                    || opts.containsKey("minutes") || opts.containsKey("hours")) {
                throw new BadArgument("with a column, give its unit (minutes or hours) and nothing else: " + example);
            }
            long perUnit = unit.equals("hours") ? 60 : 1;
            return new Step("plus-duration", on, on, (v, r) -> {
                if (v == null) {
                    return null;
                }
                String text = blankToNull(r.get(column));
                if (text == null) {
                    return null;
                }
                String t = text.strip();
                if (!DURATION.matcher(t).matches()) {
                    throw new TransformFailure("invalid-number", Map.of("expected", "a duration in " + unit
                            + " (0 or more, such as 50 or 1,5)"), column);
                }
                long minutes = new BigDecimal(t.replace(',', '.')).multiply(BigDecimal.valueOf(perUnit))
                        .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                return plusMinutes(v, minutes);
            });
        }
        if (opts.size() != 1) {
            throw new BadArgument("give one constant, minutes or hours: " + example);
        }
        String unit = opts.keySet().iterator().next();
        String amount = YamlNodes.text(opts.get(unit).getValueNode());
        if (amount == null || !amount.matches("\\d{1,6}")) {
            throw new BadArgument(unit + " must be a whole number, 0 or more, not '" + amount + "'");
        }
        long minutes = Long.parseLong(amount) * (unit.equals("hours") ? 60 : 1);
        return new Step("plus-duration", on, on, (v, r) -> v == null ? null : plusMinutes(v, minutes));
    }

    private static Object plusMinutes(Object value, long minutes) {
        return value instanceof OffsetDateTime odt ? odt.plusMinutes(minutes) : ((LocalTime) value).plusMinutes(minutes);
    }

    /**
     * {@code sum} and {@code difference}: several columns → a number; the argument is the columns' locale
     * ({@code pt-BR}, the default, or {@code en}) or {@code integer}. A difference is the first minus the others. An
     * empty cell counts as zero; when every cell is empty there is no value.
     */
    static Transform sum(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        return aggregate("sum", arg, false, ctx.columns());
    }

    static Transform difference(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        return aggregate("difference", arg, true, ctx.columns());
    }

    private static Transform aggregate(String name, Node arg, boolean subtract, List<String> columns)
            throws BadArgument {
        String mode = arg == null ? "pt-BR" : YamlNodes.text(arg);
        boolean integer = "integer".equals(mode);
        boolean br = integer || NumberTransforms.brazilian(mode);
        return new Step(name, Kind.LIST, integer ? Kind.INTEGER : Kind.DECIMAL, (v, r) -> {
            if (v == null) {
                return null;
            }
            List<?> cells = (List<?>) v;
            BigDecimal total = null;
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i) == null ? null : blankToNull((String) cells.get(i));
                if (cell == null) {
                    continue;
                }
                String column = i < columns.size() ? columns.get(i) : null;
                BigDecimal n = integer ? BigDecimal.valueOf(NumberTransforms.parseInteger(cell, column))
                        : NumberTransforms.parse(cell, br, column);
                BigDecimal signed = subtract && i > 0 ? n.negate() : n;
                total = total == null ? signed : total.add(signed);
            }
            if (total == null) {
                return null;
            }
            return integer ? (Object) toInt(total) : total.setScale(SCALE, RoundingMode.HALF_EVEN);
        });
    }

    /** {@code multiply: 1.5}: a number times a constant (written with a dot). */
    static Transform multiply(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        BigDecimal factor = constant(arg, "multiply: 1.5");
        boolean whole = kind == Kind.INTEGER && factor.stripTrailingZeros().scale() <= 0;
        Kind in = kind == Kind.INTEGER ? Kind.INTEGER : Kind.DECIMAL;
        return new Step("multiply", in, whole ? Kind.INTEGER : Kind.DECIMAL, (v, r) -> {
            if (v == null) {
                return null;
            }
            BigDecimal product = number(v).multiply(factor);
            return whole ? (Object) toInt(product) : product.setScale(SCALE, RoundingMode.HALF_EVEN);
        });
    }

    /** {@code percent: 30}: that percentage of a number ({@code 200 → 60.00}). */
    static Transform percent(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        BigDecimal rate = constant(arg, "percent: 30");
        Kind in = kind == Kind.INTEGER ? Kind.INTEGER : Kind.DECIMAL;
        return new Step("percent", in, Kind.DECIMAL, (v, r) -> v == null ? null
                : number(v).multiply(rate).divide(BigDecimal.valueOf(100), SCALE, RoundingMode.HALF_EVEN));
    }

    /**
     * {@code part}: a part of a date or date-time: {@code date}, {@code time} (date-times only), {@code year},
     * {@code month}, {@code day}, {@code weekday} (1 = Monday … 7 = Sunday), {@code hour}, {@code minute}.
     */
    static Transform part(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        String part = TransformLibrary.requireScalar(arg, "part: date");
        Kind in = kind == Kind.DATE ? Kind.DATE : Kind.DATETIME;
        Set<String> ofDates = Set.of("year", "month", "day", "weekday");
        Set<String> ofDateTimes = Set.of("date", "time", "year", "month", "day", "weekday", "hour", "minute");
        if (!ofDateTimes.contains(part)) {
            throw new BadArgument("'" + part + "' is not a part; use one of " + new TreeSet<>(ofDateTimes));
        }
        if (in == Kind.DATE && !ofDates.contains(part)) {
            throw new BadArgument("a date has no " + part + "; use one of " + new TreeSet<>(ofDates));
        }
        Kind out = part.equals("date") ? Kind.DATE : part.equals("time") ? Kind.TIME : Kind.INTEGER;
        return new Step("part", in, out, (v, r) -> {
            if (v == null) {
                return null;
            }
            if (v instanceof LocalDate d) {
                return switch (part) {
                    case "year" -> d.getYear();
                    case "month" -> d.getMonthValue();
                    case "day" -> d.getDayOfMonth();
                    default -> d.getDayOfWeek().getValue();
                };
            }
            OffsetDateTime t = (OffsetDateTime) v;
            return switch (part) {
                case "date" -> t.toLocalDate();
                case "time" -> t.toLocalTime();
                case "year" -> t.getYear();
                case "month" -> t.getMonthValue();
                case "day" -> t.getDayOfMonth();
                case "weekday" -> t.getDayOfWeek().getValue();
                case "hour" -> t.getHour();
                default -> t.getMinute();
            };
        });
    }

    private static BigDecimal constant(Node arg, String example) throws BadArgument {
        String text = TransformLibrary.requireScalar(arg, example).strip();
        // plain digits only: 1e999999999 is a number to BigDecimal, and rounding it would fill the memory
        if (!text.matches("-?\\d{1,9}(\\.\\d{1,6})?")) {
            throw new BadArgument("'" + text + "' is not a number; write it with a dot and at most 9 digits before"
                    + " it and 6 after: " + example);
        }
        return new BigDecimal(text);
    }

    private static BigDecimal number(Object v) {
        return v instanceof Integer i ? BigDecimal.valueOf(i) : (BigDecimal) v;
    }

    private static int toInt(BigDecimal d) throws TransformFailure {
        try {
            return d.setScale(0, RoundingMode.HALF_EVEN).intValueExact();
        } catch (ArithmeticException e) {
            throw new TransformFailure("invalid-number", Map.of("expected", "a whole number that fits"));
        }
    }
}
