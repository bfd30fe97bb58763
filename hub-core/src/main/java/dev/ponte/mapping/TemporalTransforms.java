package dev.ponte.mapping;

import dev.ponte.mapping.TransformLibrary.BadArgument;
import dev.ponte.mapping.TransformLibrary.Step;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.ponte.mapping.TransformLibrary.blankToNull;
import static dev.ponte.mapping.TransformLibrary.requireScalar;

/** Text to dates, times and date-times, with strict patterns checked when the mapping loads. */
final class TemporalTransforms {

    private TemporalTransforms() {
    }

    /** A formatter that refuses 31/02 (strict) and accepts 'yyyy' as the proleptic year. */
    private static DateTimeFormatter formatter(String pattern) throws BadArgument {
        try {
            return DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new BadArgument("bad pattern '" + pattern + "': " + e.getMessage()
                    + " (letters: dd day, MM month, yyyy year, HH hour, mm minute)");
        }
    }

    static DateTimeFormatter datePattern(String pattern) throws BadArgument {
        return probed(pattern, LocalDate.of(2031, 12, 27), LocalDate::from, "a whole date",
                "day, month and year letters only, e.g. dd/MM/yyyy");
    }

    static DateTimeFormatter timePattern(String pattern) throws BadArgument {
        return probed(pattern, LocalTime.of(17, 45), LocalTime::from, "hour and minute",
                "hour and minute letters, e.g. HH:mm");
    }

    /** A pattern is accepted when it formats a probe value and parses it back unchanged. */
    private static <T extends java.time.temporal.TemporalAccessor> DateTimeFormatter probed(
            String pattern, T probe, java.time.temporal.TemporalQuery<T> query, String what, String hint)
            throws BadArgument {
        DateTimeFormatter f = formatter(pattern);
        try {
            if (!f.parse(f.format(probe), query).equals(probe)) {
                throw new BadArgument("pattern '" + pattern + "' does not identify " + what);
            }
        } catch (DateTimeException e) {
            throw new BadArgument("pattern '" + pattern + "' is not a pattern for " + what + " (" + e.getMessage()
                    + "); use " + hint);
        }
        return f;
    }

    static Transform date(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        String pattern = requireScalar(arg, "date: dd/MM/yyyy");
        DateTimeFormatter f = datePattern(pattern);
        FixedWidthPattern fast = FixedWidthPattern.compile(pattern);
        return new Step("date", Kind.TEXT, Kind.DATE, (v, r) -> v == null ? null : parseDate((String) v, f, fast, pattern,
                null));
    }

    private static LocalDate parseDate(String v, DateTimeFormatter f, FixedWidthPattern fast, String pattern,
                                       String column) throws TransformFailure {
        try {
            return fast != null ? fast.date(v.strip()) : LocalDate.parse(v.strip(), f);
        } catch (DateTimeException e) {
            throw new TransformFailure("invalid-date", Map.of("pattern", pattern), column);
        }
    }

    private static LocalTime parseTime(String v, DateTimeFormatter f, FixedWidthPattern fast, String pattern,
                                       String column) throws TransformFailure {
        try {
            return fast != null ? fast.time(v.strip()) : LocalTime.parse(v.strip(), f);
        } catch (DateTimeException e) {
            throw new TransformFailure("invalid-time", Map.of("pattern", pattern), column);
        }
    }

    static Transform time(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        String pattern = requireScalar(arg, "time: HH:mm");
        DateTimeFormatter f = timePattern(pattern);
        FixedWidthPattern fast = FixedWidthPattern.compile(pattern);
        return new Step("time", Kind.TEXT, Kind.TIME, (v, r) -> v == null ? null : parseTime((String) v, f, fast, pattern,
                null));
    }

    /**
     * {@code datetime}: from one column with {@code pattern}, or from two columns (date, time) with
     * {@code date-pattern} and {@code time-pattern}; local times are placed in {@code zone} (default: the mapping's
     * source zone, America/Sao_Paulo unless set).
     */
    static Transform datetime(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        ZoneId zone = ctx.zone();
        if (opts.containsKey("zone")) {
            String z = YamlNodes.text(opts.get("zone").getValueNode());
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                throw new BadArgument("unknown zone '" + z + "' (use an IANA id such as America/Sao_Paulo)");
            }
        }
        ZoneId at = zone;
        if (kind == Kind.LIST) {
            if (!opts.containsKey("date-pattern") || !opts.containsKey("time-pattern")) {
                throw new BadArgument("with two source columns (date, time) give date-pattern and time-pattern");
            }
            if (ctx.columns().size() != 2) {
                throw new BadArgument("expects exactly two source columns (date, time), got " + ctx.columns().size());
            }
            String dp = YamlNodes.text(opts.get("date-pattern").getValueNode());
            String tp = YamlNodes.text(opts.get("time-pattern").getValueNode());
            DateTimeFormatter df = datePattern(dp);
            DateTimeFormatter tf = timePattern(tp);
            FixedWidthPattern fastDate = FixedWidthPattern.compile(dp);
            FixedWidthPattern fastTime = FixedWidthPattern.compile(tp);
            String dateColumn = ctx.columns().get(0);
            String timeColumn = ctx.columns().get(1);
            return new Step("datetime", Kind.LIST, Kind.DATETIME, (v, r) -> {
                List<?> parts = (List<?>) v;
                String d = parts == null ? null : blankToNull((String) parts.get(0));
                String t = parts == null ? null : blankToNull((String) parts.get(1));
                if (d == null && t == null) {
                    return null;
                }
                if (d == null) {
                    throw new TransformFailure("required", Map.of(), dateColumn);
                }
                if (t == null) {
                    throw new TransformFailure("required", Map.of(), timeColumn);
                }
                LocalDate date = parseDate(d, df, fastDate, dp, dateColumn);
                LocalTime time = parseTime(t, tf, fastTime, tp, timeColumn);
                return LocalDateTime.of(date, time).atZone(at).toOffsetDateTime();
            });
        }
        String pattern = opts.containsKey("pattern") ? YamlNodes.text(opts.get("pattern").getValueNode())
                : YamlNodes.text(arg);
        if (pattern == null || pattern.equals("iso")) {
            return new Step("datetime", Kind.TEXT, Kind.DATETIME, (v, r) -> {
                try {
                    return v == null ? null : OffsetDateTime.parse(((String) v).strip());
                } catch (DateTimeException e) {
                    throw new TransformFailure("invalid-datetime", Map.of("pattern", "ISO 8601"));
                }
            });
        }
        DateTimeFormatter f = formatter(pattern);
        return new Step("datetime", Kind.TEXT, Kind.DATETIME, (v, r) -> {
            try {
                return v == null ? null : LocalDateTime.parse(((String) v).strip(), f).atZone(at).toOffsetDateTime();
            } catch (DateTimeException e) {
                throw new TransformFailure("invalid-datetime", Map.of("pattern", pattern));
            }
        });
    }
}
