package dev.ponte.mapping;

import dev.ponte.glossary.EditDistance;
import dev.ponte.validation.br.BrazilianIds;
import dev.ponte.validation.br.Phones;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The fixed library of transforms a mapping may use. A transform is written either as its bare name
 * ({@code trim}) or as a one-key map with its argument ({@code date: dd/MM/yyyy}); {@code if} also takes
 * {@code then} and {@code else}. See the README ("Writing a mapping") for the reference of each transform.
 * <p>
 * This class compiles specs into {@link Transform}s, reporting every problem (unknown name, bad argument, kind
 * mismatch) to the loader instead of stopping at the first.
 */
public final class TransformLibrary {

    /** Names of every transform, as written in mapping files. */
    public static final Set<String> NAMES = new TreeSet<>(List.of("trim", "upper", "lower", "collapse-spaces",
            "digits", "cnpj", "null-if", "default", "date", "time", "datetime", "decimal", "integer", "boolean",
            "phone", "map", "lookup", "concat", "split", "if"));

    private static final Pattern PT_BR_NUMBER = Pattern.compile("-?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?");
    private static final Pattern EN_NUMBER = Pattern.compile("-?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,9}");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** What the compiler knows about the field whose pipeline it compiles. */
    record Context(Problems problems, String field, List<String> columns, Map<String, LookupTable> lookups,
                   ZoneId zone) {
    }

    /** A compiled pipeline and the kind of value it ends with. */
    record Pipeline(List<Transform> steps, Kind output) {
        Object run(Object value, SourceRecord row) throws TransformFailure {
            Object v = value;
            for (Transform t : steps) {
                v = t.apply(v, row);
            }
            return v;
        }
    }

    /** A transform given by its kinds and a function; the library's building block. */
    private record Step(String name, Kind input, Kind output, Fn fn) implements Transform {
        @Override
        public Object apply(Object value, SourceRecord row) throws TransformFailure {
            return fn.apply(value, row);
        }
    }

    @FunctionalInterface
    private interface Fn {
        Object apply(Object value, SourceRecord row) throws TransformFailure;
    }

    /** Text-to-text step that passes {@code null} through. */
    private static Step text(String name, java.util.function.UnaryOperator<String> op) {
        return new Step(name, Kind.TEXT, Kind.TEXT, (v, r) -> v == null ? null : blankToNull(op.apply((String) v)));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private TransformLibrary() {
    }

    /** Compiles a sequence of transform specs starting from values of {@code input} kind. */
    static Pipeline pipeline(Node sequence, Kind input, Context ctx) {
        List<Transform> steps = new ArrayList<>();
        Kind kind = input;
        if (sequence != null && !YamlNodes.isSequence(sequence)) {
            ctx.problems().add(sequence, ctx.field(), "'transforms' must be a list, e.g. [trim, upper]");
            return new Pipeline(steps, kind);
        }
        for (Node spec : YamlNodes.items(sequence)) {
            Transform t = compile(spec, kind, ctx);
            if (t == null) {
                continue; // problem already reported; keep checking the rest of the pipeline
            }
            if (t.input() != kind) {
                ctx.problems().add(spec, ctx.field(), "transform '" + nameOf(spec) + "' expects " + t.input().word()
                        + " but receives " + kind.word() + hint(kind, t.input()));
            }
            steps.add(t);
            kind = t.output();
        }
        return new Pipeline(List.copyOf(steps), kind);
    }

    private static String hint(Kind have, Kind want) {
        if (have == Kind.LIST && want == Kind.TEXT) {
            return "; the field has several source columns: join them first with 'concat'";
        }
        if (have == Kind.TEXT) {
            return "";
        }
        return "; put this transform before the one that converts the text to " + have.word();
    }

    private static String nameOf(Node spec) {
        if (YamlNodes.isScalar(spec)) {
            return YamlNodes.text(spec);
        }
        return YamlNodes.entries(spec).keySet().stream().findFirst().orElse("?");
    }

    private static Transform compile(Node spec, Kind kind, Context ctx) {
        String name;
        Node arg = null;
        Map<String, NodeTuple> entries = YamlNodes.entries(spec);
        if (YamlNodes.isScalar(spec)) {
            name = YamlNodes.text(spec);
        } else if (entries.containsKey("if")) {
            return conditional(spec, entries, kind, ctx);
        } else if (entries.size() == 1) {
            NodeTuple only = entries.values().iterator().next();
            name = YamlNodes.text(only.getKeyNode());
            arg = only.getValueNode();
        } else {
            ctx.problems().add(spec, ctx.field(), "a transform is a name (trim) or a one-key map (date: dd/MM/yyyy)");
            return null;
        }
        if (name == null || !NAMES.contains(name)) {
            String suggestion = name == null ? "" : NAMES.stream()
                    .filter(n -> closeEnough(n, name)).findFirst()
                    .map(n -> "; did you mean '" + n + "'?").orElse("");
            ctx.problems().add(spec, ctx.field(), "unknown transform '" + name + "'" + suggestion
                    + " (known: " + String.join(", ", NAMES) + ")");
            return null;
        }
        try {
            return create(name, arg, kind, ctx);
        } catch (BadArgument e) {
            ctx.problems().add(arg != null ? arg : spec, ctx.field(), "transform '" + name + "': " + e.getMessage());
            return null;
        }
    }

    private static boolean closeEnough(String a, String b) {
        return a.startsWith(b) || b.startsWith(a) || EditDistance.between(a, b) <= 2;
    }

    /** An argument a transform cannot work with; reported as a mapping problem. */
    private static final class BadArgument extends Exception {
        BadArgument(String message) {
            super(message, null, false, false);
        }
    }

    private static Transform create(String name, Node arg, Kind kind, Context ctx) throws BadArgument {
        return switch (name) {
            case "trim" -> text(name, String::strip);
            case "upper" -> text(name, s -> s.toUpperCase(Locale.ROOT));
            case "lower" -> text(name, s -> s.toLowerCase(Locale.ROOT));
            case "collapse-spaces" -> text(name, s -> SPACES.matcher(s.strip()).replaceAll(" "));
            case "digits" -> text(name, BrazilianIds::digitsOnly);
            case "cnpj" -> text(name, BrazilianIds::unmaskCnpj);
            case "null-if" -> nullIf(arg);
            case "default" -> {
                String value = requireScalar(arg, "give the value to use when the cell is empty: default: 0");
                yield new Step(name, Kind.TEXT, Kind.TEXT, (v, r) -> v == null ? value : v);
            }
            case "date" -> date(arg);
            case "time" -> time(arg);
            case "datetime" -> datetime(arg, kind, ctx);
            case "decimal" -> decimal(arg);
            case "integer" -> new Step(name, Kind.TEXT, Kind.INTEGER, (v, r) -> {
                if (v == null) {
                    return null;
                }
                String s = ((String) v).strip();
                if (!INTEGER.matcher(s).matches()) {
                    throw new TransformFailure("invalid-number", Map.of("expected", "a whole number"));
                }
                return Integer.valueOf(s);
            });
            case "boolean" -> bool(arg);
            case "phone" -> phone(arg);
            case "map" -> valueMap(arg);
            case "lookup" -> lookup(arg, ctx);
            case "concat" -> {
                Map<String, NodeTuple> opts = YamlNodes.entries(arg);
                String sep = arg == null ? " " : opts.containsKey("separator")
                        ? YamlNodes.text(opts.get("separator").getValueNode()) : requireScalar(arg, "separator");
                String separator = sep == null ? "" : sep;
                yield new Step(name, Kind.LIST, Kind.TEXT, (v, r) -> {
                    if (v == null) {
                        return null;
                    }
                    List<String> parts = new ArrayList<>();
                    for (Object o : (List<?>) v) {
                        if (o != null && !((String) o).isBlank()) {
                            parts.add(((String) o).strip());
                        }
                    }
                    return parts.isEmpty() ? null : String.join(separator, parts);
                });
            }
            case "split" -> split(arg);
            default -> throw new BadArgument("not available here");
        };
    }

    private static String requireScalar(Node arg, String example) throws BadArgument {
        String text = YamlNodes.text(arg);
        if (text == null) {
            throw new BadArgument("needs an argument (" + example + ")");
        }
        return text;
    }

    private static Transform nullIf(Node arg) throws BadArgument {
        Set<String> values = new HashSet<>();
        if (YamlNodes.isSequence(arg)) {
            YamlNodes.items(arg).forEach(n -> values.add(String.valueOf(YamlNodes.text(n)).strip().toUpperCase(Locale.ROOT)));
        } else {
            values.add(requireScalar(arg, "null-if: [PARTICULAR, '-']").strip().toUpperCase(Locale.ROOT));
        }
        return new Step("null-if", Kind.TEXT, Kind.TEXT,
                (v, r) -> v == null || values.contains(((String) v).strip().toUpperCase(Locale.ROOT)) ? null : v);
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

    private static Transform date(Node arg) throws BadArgument {
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

    private static Transform time(Node arg) throws BadArgument {
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
    private static Transform datetime(Node arg, Kind kind, Context ctx) throws BadArgument {
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

    private static Transform decimal(Node arg) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String locale = arg == null ? "pt-BR" : opts.containsKey("locale")
                ? YamlNodes.text(opts.get("locale").getValueNode()) : YamlNodes.text(arg);
        boolean br;
        if ("pt-BR".equals(locale)) {
            br = true;
        } else if ("en".equals(locale)) {
            br = false;
        } else {
            throw new BadArgument("locale must be pt-BR (1.234,56) or en (1,234.56), not '" + locale + "'");
        }
        Pattern shape = br ? PT_BR_NUMBER : EN_NUMBER;
        String example = br ? "1.234,56" : "1,234.56";
        return new Step("decimal", Kind.TEXT, Kind.DECIMAL, (v, r) -> {
            if (v == null) {
                return null;
            }
            String s = ((String) v).strip().replace(" ", "");
            if (s.startsWith("R$")) {
                s = s.substring(2);
            }
            if (!shape.matcher(s).matches()) {
                throw new TransformFailure("invalid-number", Map.of("expected", "a number like " + example));
            }
            return new BigDecimal(br ? s.replace(".", "").replace(',', '.') : s.replace(",", ""));
        });
    }

    private static Transform bool(Node arg) throws BadArgument {
        Set<String> yes = new HashSet<>(List.of("S", "SIM", "Y", "YES", "TRUE", "1", "V", "VERDADEIRO"));
        Set<String> no = new HashSet<>(List.of("N", "NAO", "NÃO", "NO", "FALSE", "0", "F", "FALSO"));
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        if (arg != null && !YamlNodes.isNull(arg)) {
            if (!opts.containsKey("true") || !opts.containsKey("false")) {
                throw new BadArgument("give both lists, e.g. boolean: {true: [S], false: [N]}");
            }
            yes = upperTexts(opts.get("true").getValueNode());
            no = upperTexts(opts.get("false").getValueNode());
        }
        Set<String> t = yes;
        Set<String> f = no;
        return new Step("boolean", Kind.TEXT, Kind.BOOLEAN, (v, r) -> {
            if (v == null) {
                return null;
            }
            String s = ((String) v).strip().toUpperCase(Locale.ROOT);
            if (t.contains(s)) {
                return Boolean.TRUE;
            }
            if (f.contains(s)) {
                return Boolean.FALSE;
            }
            throw new TransformFailure("invalid-boolean", Map.of("allowed", String.join(", ", new TreeSet<>(t)) + " / "
                    + String.join(", ", new TreeSet<>(f))));
        });
    }

    private static Set<String> upperTexts(Node node) {
        Set<String> out = new HashSet<>();
        if (YamlNodes.isSequence(node)) {
            YamlNodes.items(node).forEach(n -> out.add(String.valueOf(YamlNodes.text(n)).toUpperCase(Locale.ROOT)));
        } else if (YamlNodes.text(node) != null) {
            out.add(YamlNodes.text(node).toUpperCase(Locale.ROOT));
        }
        return out;
    }

    private static Transform phone(Node arg) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String area = opts.containsKey("default-area-code")
                ? YamlNodes.text(opts.get("default-area-code").getValueNode()) : null;
        if (area != null && !area.matches("\\d{2}")) {
            throw new BadArgument("default-area-code is a two-digit DDD such as 11, not '" + area + "'");
        }
        return new Step("phone", Kind.TEXT, Kind.TEXT, (v, r) -> {
            if (v == null) {
                return null;
            }
            return Phones.toE164((String) v, area).orElseThrow(() -> new TransformFailure("invalid-phone", Map.of()));
        });
    }

    /** {@code map}: a value map; unmapped values are rejected unless {@code otherwise: keep | null}. */
    private static Transform valueMap(Node arg) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        Node valuesNode = arg;
        String otherwise = "reject";
        if (opts.containsKey("values") && opts.keySet().stream().allMatch(k -> k.equals("values") || k.equals("otherwise"))) {
            valuesNode = opts.get("values").getValueNode();
            if (opts.containsKey("otherwise")) {
                otherwise = String.valueOf(YamlNodes.text(opts.get("otherwise").getValueNode()));
            }
        }
        if (!YamlNodes.isMapping(valuesNode)) {
            throw new BadArgument("give source → canonical pairs, e.g. map: {AG: SCHEDULED, CF: CONFIRMED}");
        }
        if (!Set.of("reject", "keep", "null").contains(otherwise)) {
            throw new BadArgument("otherwise must be reject, keep or null, not '" + otherwise + "'");
        }
        Map<String, String> table = new LinkedHashMap<>();
        YamlNodes.entries(valuesNode).forEach((k, t) -> table.put(k, YamlNodes.text(t.getValueNode())));
        String mode = otherwise;
        String allowed = String.join(", ", table.keySet());
        return new MapStep(table, mode, allowed);
    }

    /** The {@code map} transform; its canonical values are visible to the loader, which checks them. */
    record MapStep(Map<String, String> table, String otherwise, String allowed) implements Transform {
        @Override
        public Kind input() {
            return Kind.TEXT;
        }

        @Override
        public Kind output() {
            return Kind.TEXT;
        }

        @Override
        public Object apply(Object value, SourceRecord row) throws TransformFailure {
            if (value == null) {
                return null;
            }
            String key = ((String) value).strip();
            if (table.containsKey(key)) {
                return table.get(key);
            }
            return switch (otherwise) {
                case "keep" -> key;
                case "null" -> null;
                default -> throw new TransformFailure("unknown-value", Map.of("allowed", allowed));
            };
        }
    }

    private static Transform lookup(Node arg, Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String table = opts.containsKey("table") ? YamlNodes.text(opts.get("table").getValueNode()) : YamlNodes.text(arg);
        String otherwise = opts.containsKey("otherwise") ? YamlNodes.text(opts.get("otherwise").getValueNode()) : "reject";
        LookupTable t = ctx.lookups().get(table);
        if (t == null) {
            throw new BadArgument("no lookup table '" + table + "'; declare it under 'lookups:' (known: "
                    + String.join(", ", ctx.lookups().keySet()) + ")");
        }
        if (!Set.of("reject", "keep", "null").contains(otherwise)) {
            throw new BadArgument("otherwise must be reject, keep or null, not '" + otherwise + "'");
        }
        return new Step("lookup", Kind.TEXT, Kind.TEXT, (v, r) -> {
            if (v == null) {
                return null;
            }
            if (t.contains((String) v)) {
                return t.get((String) v).orElse(null);
            }
            return switch (otherwise) {
                case "keep" -> v;
                case "null" -> null;
                default -> throw new TransformFailure("unknown-value", Map.of("allowed", "the entries of lookup table "
                        + t.name()));
            };
        });
    }

    private static Transform split(Node arg) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        if (!opts.containsKey("separator") || !opts.containsKey("index")) {
            throw new BadArgument("give separator and index, e.g. split: {separator: ',', index: 0}");
        }
        String separator = YamlNodes.text(opts.get("separator").getValueNode());
        int index;
        try {
            index = Integer.parseInt(YamlNodes.text(opts.get("index").getValueNode()));
        } catch (NumberFormatException e) {
            throw new BadArgument("index must be a whole number from 0");
        }
        if (separator == null || separator.isEmpty() || index < 0) {
            throw new BadArgument("separator must not be empty and index must be 0 or more");
        }
        String quoted = Pattern.quote(separator);
        return new Step("split", Kind.TEXT, Kind.TEXT, (v, r) -> {
            if (v == null) {
                return null;
            }
            String[] parts = ((String) v).split(quoted, -1);
            return index < parts.length ? blankToNull(parts[index].strip()) : null;
        });
    }

    /**
     * {@code if}: {@code {if: {column: C, equals: X | in: [..] | empty: true | matches: REGEX}, then: [..],
     * else: [..]}}. Without {@code column} the condition tests the current value. Both branches must end with the
     * same kind.
     */
    private static Transform conditional(Node spec, Map<String, NodeTuple> entries, Kind kind, Context ctx) {
        Set<String> unknown = new TreeSet<>(entries.keySet());
        unknown.removeAll(Set.of("if", "then", "else"));
        if (!unknown.isEmpty()) {
            ctx.problems().add(spec, ctx.field(), "'if' takes only 'then' and 'else', not " + unknown);
        }
        Node cond = entries.get("if").getValueNode();
        Map<String, NodeTuple> c = YamlNodes.entries(cond);
        String column = c.containsKey("column") ? YamlNodes.text(c.get("column").getValueNode()) : null;
        java.util.function.Predicate<String> test;
        if (c.containsKey("equals")) {
            String x = YamlNodes.text(c.get("equals").getValueNode());
            test = s -> s != null && s.strip().equalsIgnoreCase(x);
        } else if (c.containsKey("in")) {
            Set<String> xs = upperTexts(c.get("in").getValueNode());
            test = s -> s != null && xs.contains(s.strip().toUpperCase(Locale.ROOT));
        } else if (c.containsKey("empty")) {
            boolean wantEmpty = Boolean.parseBoolean(YamlNodes.text(c.get("empty").getValueNode()));
            test = s -> (s == null || s.isBlank()) == wantEmpty;
        } else if (c.containsKey("matches")) {
            String regex = YamlNodes.text(c.get("matches").getValueNode());
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException | NullPointerException e) {
                ctx.problems().add(cond, ctx.field(), "'matches' is not a valid regular expression: " + regex);
                return null;
            }
            test = s -> s != null && p.matcher(s).matches();
        } else {
            ctx.problems().add(cond, ctx.field(), "'if' needs one of equals, in, empty, matches");
            return null;
        }
        if (column == null && kind != Kind.TEXT) {
            ctx.problems().add(cond, ctx.field(), "'if' without 'column' tests the current value, which must be "
                    + "text here but is " + kind.word() + "; add column: NAME or move the 'if' earlier");
        }
        Pipeline then = pipeline(entries.containsKey("then") ? entries.get("then").getValueNode() : null, kind, ctx);
        Pipeline otherwise = pipeline(entries.containsKey("else") ? entries.get("else").getValueNode() : null, kind, ctx);
        if (then.output() != otherwise.output()) {
            ctx.problems().add(spec, ctx.field(), "'then' ends with " + then.output().word() + " but 'else' ends with "
                    + otherwise.output().word() + "; both branches must produce the same kind");
        }
        java.util.function.Predicate<String> predicate = test;
        return new Step("if", kind, then.output(), (v, r) -> {
            String subject = column != null ? r.get(column) : (v instanceof String s ? s : null);
            return predicate.test(subject) ? then.run(v, r) : otherwise.run(v, r);
        });
    }
}
