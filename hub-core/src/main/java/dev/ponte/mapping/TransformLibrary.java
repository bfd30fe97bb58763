package dev.ponte.mapping;

import dev.ponte.glossary.EditDistance;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The compiler of the fixed library of transforms a mapping may use ({@link TransformRegistry} lists them). A transform is written either as its bare name
 * ({@code trim}) or as a one-key map with its argument ({@code date: dd/MM/yyyy}); {@code if} also takes
 * {@code then} and {@code else}. See the README ("Writing a mapping") for the reference of each transform.
 * <p>
 * This class compiles specs into {@link Transform}s, reporting every problem (unknown name, bad argument, kind
 * mismatch) to the loader instead of stopping at the first.
 */
public final class TransformLibrary {

    /** Names of every transform, as written in mapping files. */
    public static final Set<String> NAMES = TransformRegistry.names();

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
    record Step(String name, Kind input, Kind output, Fn fn) implements Transform {
        @Override
        public Object apply(Object value, SourceRecord row) throws TransformFailure {
            return fn.apply(value, row);
        }
    }

    @FunctionalInterface
    interface Fn {
        Object apply(Object value, SourceRecord row) throws TransformFailure;
    }

    /** Text-to-text step that passes {@code null} through. */
    static Step text(String name, java.util.function.UnaryOperator<String> op) {
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
        java.util.Optional<TransformRegistry.Entry> entry = TransformRegistry.entry(name);
        if (entry.isEmpty()) {
            String suggestion = name == null ? "" : NAMES.stream()
                    .filter(n -> closeEnough(n, name)).findFirst()
                    .map(n -> "; did you mean '" + n + "'?").orElse("");
            ctx.problems().add(spec, ctx.field(), "unknown transform '" + name + "'" + suggestion
                    + " (known: " + String.join(", ", NAMES) + ")");
            return null;
        }
        try {
            return entry.get().create(arg, kind, ctx);
        } catch (BadArgument e) {
            ctx.problems().add(arg != null ? arg : spec, ctx.field(), "transform '" + name + "': " + e.getMessage());
            return null;
        }
    }

    private static boolean closeEnough(String a, String b) {
        return a.startsWith(b) || b.startsWith(a) || EditDistance.between(a, b) <= 2;
    }

    /** An argument a transform cannot work with; reported as a mapping problem. */
    static final class BadArgument extends Exception {
        BadArgument(String message) {
            super(message, null, false, false);
        }
    }

    static String requireScalar(Node arg, String example) throws BadArgument {
        String text = YamlNodes.text(arg);
        if (text == null) {
            throw new BadArgument("needs an argument (" + example + ")");
        }
        return text;
    }

    static Set<String> upperTexts(Node node) {
        Set<String> out = new HashSet<>();
        if (YamlNodes.isSequence(node)) {
            YamlNodes.items(node).forEach(n -> out.add(String.valueOf(YamlNodes.text(n)).toUpperCase(Locale.ROOT)));
        } else if (YamlNodes.text(node) != null) {
            out.add(YamlNodes.text(node).toUpperCase(Locale.ROOT));
        }
        return out;
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
