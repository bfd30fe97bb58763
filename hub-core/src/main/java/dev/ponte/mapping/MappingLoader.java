package dev.ponte.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.EditDistance;
import dev.ponte.glossary.Term;
import dev.ponte.json.Json;
import dev.ponte.model.CanonicalModel;
import dev.ponte.validation.Messages;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import dev.ponte.validation.Violation;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads mapping files and checks them completely before they may be used: structure, every target field against the
 * glossary (with a suggestion for near misses), transform names and arguments, kinds along each pipeline, canonical
 * values against allowed values, required fields, and finally the file's own examples. Every problem is collected
 * and reported together as {@code file:line: field: message}.
 * <p>
 * Thread safe; a loader may be shared.
 */
public final class MappingLoader {

    private static final Set<String> TOP_KEYS = Set.of("mapping", "version", "description", "source", "target",
            "lookups", "fields", "examples");
    private static final Set<String> SOURCE_KEYS = Set.of("system", "format", "file", "encoding", "delimiter",
            "header", "key", "zone", "table", "watermark");
    private static final Set<String> FIELD_KEYS = Set.of("from", "value", "transforms", "source-field");
    private static final Set<String> EXAMPLE_KEYS = Set.of("input", "expect", "reject");

    private final Glossary glossary;
    private final RecordValidator validator;

    public MappingLoader(Glossary glossary, RecordValidator validator) {
        this.glossary = glossary;
        this.validator = validator;
    }

    /**
     * Loads a mapping file; lookup tables are resolved relative to its folder.
     *
     * @throws MappingException listing every problem when the file is refused
     */
    public Mapping load(Path file) {
        Problems problems = new Problems(file.toString());
        YamlFiles.Composed composed = YamlFiles.read(file, problems, "(file)", "(yaml)");
        if (!problems.isEmpty()) {
            throw new MappingException(problems.list());
        }
        Node root = composed.root();
        if (root == null || !YamlNodes.isMapping(root)) {
            problems.add(root, "(file)", "a mapping file is a YAML map with mapping, version, source, target and fields");
            throw new MappingException(problems.list());
        }
        Mapping mapping = compile(root, file.toAbsolutePath().normalize().getParent(), problems);
        if (!problems.isEmpty()) {
            throw new MappingException(problems.list());
        }
        return mapping.withText(composed.text());
    }

    private Mapping compile(Node root, Path folder, Problems problems) {
        Map<String, NodeTuple> top = YamlNodes.entries(root);
        unknownKeys(top, TOP_KEYS, "", problems);
        String name = requiredText(top, "mapping", root, problems, "a name such as legacy-clinic/pacientes");
        int version = 0;
        String versionText = requiredText(top, "version", root, problems, "a whole number, raised on every change");
        if (versionText != null) {
            try {
                version = Integer.parseInt(versionText);
            } catch (NumberFormatException e) {
                problems.add(top.get("version").getValueNode(), "version", "must be a whole number, not '" + versionText + "'");
            }
        }
        String description = top.containsKey("description") ? YamlNodes.text(top.get("description").getValueNode()) : "";
        SourceOptions source = source(top.get("source"), root, problems);

        String targetName = requiredText(top, "target", root, problems, "a canonical entity such as Patient");
        Class<? extends Record> target = null;
        if (targetName != null) {
            Optional<Class<? extends Record>> type = CanonicalModel.type(targetName)
                    .filter(CanonicalModel::isEntity);
            if (type.isEmpty()) {
                String suggestion = CanonicalModel.ENTITIES.stream().map(Class::getSimpleName)
                        .filter(n -> EditDistance.between(n.toLowerCase(), targetName.toLowerCase()) <= 2)
                        .findFirst().map(n -> "; did you mean " + n + "?").orElse("");
                problems.add(top.get("target").getValueNode(), "target", "'" + targetName
                        + "' is not a canonical entity" + suggestion + " (entities: " + CanonicalModel.ENTITIES
                        .stream().map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")");
            } else {
                target = type.get();
            }
        }
        Map<String, LookupTable> lookups = lookups(top.get("lookups"), folder, problems);
        List<FieldMapping> fields = new ArrayList<>();
        if (target != null) {
            fields = fields(top.get("fields"), root, target.getSimpleName(), source, lookups, problems);
        }
        if (target == null || source == null || name == null) {
            return null;
        }
        Mapping mapping = new Mapping(name, version, description, source, target, fields);
        if (problems.isEmpty() && top.containsKey("examples")) {
            examples(top.get("examples").getValueNode(), mapping, problems);
        }
        return mapping;
    }

    private static void unknownKeys(Map<String, NodeTuple> entries, Set<String> known, String prefix, Problems problems) {
        entries.forEach((k, t) -> {
            if (!known.contains(k)) {
                String suggestion = known.stream().filter(n -> EditDistance.between(n, k) <= 2).findFirst()
                        .map(n -> "; did you mean '" + prefix + n + "'?").orElse("");
                problems.add(t.getKeyNode(), prefix + k, "unknown key" + suggestion + " (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        });
    }

    private static String requiredText(Map<String, NodeTuple> entries, String key, Node parent, Problems problems,
                                       String what) {
        NodeTuple t = entries.get(key);
        String text = t == null ? null : YamlNodes.text(t.getValueNode());
        if (text == null || text.isBlank()) {
            problems.add(t == null ? parent : t.getValueNode(), key, "is required: " + what);
            return null;
        }
        return text;
    }

    private static SourceOptions source(NodeTuple tuple, Node root, Problems problems) {
        if (tuple == null || !YamlNodes.isMapping(tuple.getValueNode())) {
            problems.add(tuple == null ? root : tuple.getValueNode(), "source",
                    "is required: a map with system, format, file, encoding, delimiter, header, key");
            return null;
        }
        Node node = tuple.getValueNode();
        Map<String, NodeTuple> s = YamlNodes.entries(node);
        unknownKeys(s, SOURCE_KEYS, "source.", problems);
        String system = requiredText(s, "system", node, problems, "the source system, e.g. legacy-clinic");
        String format = s.containsKey("format") ? YamlNodes.text(s.get("format").getValueNode()) : "csv";
        if (!"csv".equals(format) && !"jdbc".equals(format)) {
            problems.add(s.get("format").getValueNode(), "source.format", "'" + format
                    + "' is not supported; use csv (files) or jdbc (tables)");
        }
        String table = s.containsKey("table") ? YamlNodes.text(s.get("table").getValueNode()) : null;
        String watermark = s.containsKey("watermark") ? YamlNodes.text(s.get("watermark").getValueNode()) : null;
        if ("jdbc".equals(format)) {
            for (String[] required : new String[][]{{"table", table}, {"watermark", watermark}}) {
                if (required[1] == null || !required[1].matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                    problems.add(node, "source." + required[0], "with format jdbc, give the " + required[0]
                            + " as a plain SQL name (letters, digits, _)");
                }
            }
        }
        String file = s.containsKey("file") ? YamlNodes.text(s.get("file").getValueNode()) : null;
        Charset encoding = java.nio.charset.StandardCharsets.UTF_8;
        if (s.containsKey("encoding")) {
            String enc = YamlNodes.text(s.get("encoding").getValueNode());
            try {
                encoding = Charset.forName(enc);
            } catch (IllegalArgumentException e) {
                problems.add(s.get("encoding").getValueNode(), "source.encoding", "unknown encoding '" + enc
                        + "'; legacy Brazilian exports are usually ISO-8859-1 or windows-1252, newer ones UTF-8");
            }
        }
        char delimiter = ',';
        if (s.containsKey("delimiter")) {
            String d = YamlNodes.text(s.get("delimiter").getValueNode());
            if (d == null || d.length() != 1) {
                problems.add(s.get("delimiter").getValueNode(), "source.delimiter", "must be one character, e.g. ';'");
            } else {
                delimiter = d.charAt(0);
            }
        }
        boolean header = !s.containsKey("header") || Boolean.parseBoolean(YamlNodes.text(s.get("header").getValueNode()));
        String key = s.containsKey("key") ? YamlNodes.text(s.get("key").getValueNode()) : null;
        ZoneId zone = SourceOptions.DEFAULT_ZONE;
        if (s.containsKey("zone")) {
            String z = YamlNodes.text(s.get("zone").getValueNode());
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException | NullPointerException e) {
                problems.add(s.get("zone").getValueNode(), "source.zone", "unknown time zone '" + z
                        + "'; use an IANA id such as America/Sao_Paulo");
            }
        }
        return new SourceOptions(system, format, file, encoding, delimiter, header, key, zone, table, watermark);
    }

    private static Map<String, LookupTable> lookups(NodeTuple tuple, Path folder, Problems problems) {
        Map<String, LookupTable> out = new LinkedHashMap<>();
        if (tuple == null) {
            return out;
        }
        YamlNodes.entries(tuple.getValueNode()).forEach((name, t) -> {
            String relative = YamlNodes.text(t.getValueNode());
            Path file = relative == null ? null : folder.resolve(relative).normalize();
            if (file == null || !file.startsWith(folder) || !Files.isRegularFile(file)) {
                problems.add(t.getValueNode(), "lookups." + name, "lookup file '" + relative
                        + "' not found next to the mapping (" + folder + ")");
                return;
            }
            Problems lookupProblems = new Problems(file.toString());
            Node doc = YamlFiles.compose(file, lookupProblems, "lookups." + name, "lookups." + name);
            if (doc == null) {
                lookupProblems.list().forEach(p -> problems.add(t.getValueNode(), "lookups." + name, "lookup file '"
                        + relative + "' line " + p.line() + ": " + p.message()));
                if (lookupProblems.isEmpty()) {
                    problems.add(t.getValueNode(), "lookups." + name, "lookup file '" + relative + "' is empty");
                }
                return;
            }
            Map<String, NodeTuple> entries = YamlNodes.entries(doc);
            Node table = entries.containsKey("entries") ? entries.get("entries").getValueNode() : doc;
            Map<String, String> values = new LinkedHashMap<>();
            YamlNodes.entries(table).forEach((k, v) -> values.put(k, YamlNodes.text(v.getValueNode())));
            if (values.isEmpty()) {
                problems.add(t.getValueNode(), "lookups." + name, "lookup file '" + relative
                        + "' has no entries (expected entries: {SOURCE: canonical, ...})");
            }
            out.put(name, new LookupTable(name, values));
        });
        return out;
    }

    private List<FieldMapping> fields(NodeTuple tuple, Node root, String entity, SourceOptions source,
                                      Map<String, LookupTable> lookups, Problems problems) {
        List<FieldMapping> out = new ArrayList<>();
        if (tuple == null || !YamlNodes.isMapping(tuple.getValueNode())) {
            problems.add(tuple == null ? root : tuple.getValueNode(), "fields",
                    "is required: a map of canonical field → {from, transforms}");
            return out;
        }
        ZoneId zone = source == null ? SourceOptions.DEFAULT_ZONE : source.zone();
        Set<String> mapped = new java.util.HashSet<>();
        YamlNodes.entries(tuple.getValueNode()).forEach((path, t) -> {
            Node keyNode = t.getKeyNode();
            Node spec = t.getValueNode();
            Optional<TargetPath> target = TargetPath.parse(path, entity, glossary, problems, keyNode);
            String where = entity + "." + path;
            if (YamlNodes.isScalar(spec) && YamlNodes.text(spec) != null) {
                // shorthand: "address.city: CIDADE" means {from: CIDADE}
                spec = new org.yaml.snakeyaml.nodes.MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, List.of(
                        new NodeTuple(new org.yaml.snakeyaml.nodes.ScalarNode(org.yaml.snakeyaml.nodes.Tag.STR, "from",
                                spec.getStartMark(), spec.getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN),
                                spec)), org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW);
            }
            Map<String, NodeTuple> opts = YamlNodes.entries(spec);
            if (!YamlNodes.isMapping(spec)) {
                problems.add(spec, where, "give a source column, {from: COLUMN, transforms: [...]} or {value: CONSTANT}");
                return;
            }
            unknownKeys(opts, FIELD_KEYS, "", problems);
            List<String> columns = new ArrayList<>();
            String constant = null;
            if (opts.containsKey("from") && opts.containsKey("value")) {
                problems.add(spec, where, "give either 'from' (source columns) or 'value' (a constant), not both");
            } else if (opts.containsKey("from")) {
                Node from = opts.get("from").getValueNode();
                if (YamlNodes.isSequence(from)) {
                    YamlNodes.items(from).forEach(n -> columns.add(YamlNodes.text(n)));
                } else {
                    columns.add(YamlNodes.text(from));
                }
                if (columns.isEmpty() || columns.stream().anyMatch(c -> c == null || c.isBlank())) {
                    problems.add(from, where, "'from' names one source column or a list of them");
                }
            } else if (opts.containsKey("value")) {
                constant = YamlNodes.text(opts.get("value").getValueNode());
            } else {
                problems.add(spec, where, "needs 'from' (source columns) or 'value' (a constant)");
            }
            String sourceField = constant != null ? null : columns.isEmpty() ? null : columns.get(0);
            if (opts.containsKey("source-field")) {
                sourceField = YamlNodes.text(opts.get("source-field").getValueNode());
                if (!columns.contains(sourceField)) {
                    problems.add(opts.get("source-field").getValueNode(), where, "source-field '" + sourceField
                            + "' must be one of the 'from' columns " + columns);
                }
            }
            if (target.isEmpty()) {
                return;
            }
            Term leaf = target.get().leaf();
            Kind start = columns.size() > 1 ? Kind.LIST : Kind.TEXT;
            TransformLibrary.Context ctx = new TransformLibrary.Context(problems, where, List.copyOf(columns),
                    lookups, zone);
            Node transforms = opts.containsKey("transforms") ? opts.get("transforms").getValueNode() : null;
            int before = problems.size();
            TransformLibrary.Pipeline pipeline = TransformLibrary.pipeline(transforms, start, ctx);
            Kind needed = Kind.forGlossaryType(leaf.type());
            if (problems.size() == before && pipeline.output() != needed
                    && !(needed == Kind.DECIMAL && pipeline.output() == Kind.INTEGER)) {
                problems.add(transforms != null ? transforms : spec, where, leaf.path() + " is " + leaf.type()
                        + " but the transforms end with " + pipeline.output().word() + suggestFor(needed));
            }
            checkCanonicalValues(leaf, constant, pipeline, spec, where, problems);
            mapped.add(path);
            out.add(new FieldMapping(target.get(), List.copyOf(columns), constant, pipeline, sourceField));
        });
        for (Term t : glossary.fieldsOf(entity)) {
            if (t.required() && !mapped.contains(t.field())) {
                problems.add(tuple.getKeyNode(), t.path(), "is required by the glossary but not mapped; every record "
                        + "would be rejected. Map it from a source column or give a constant 'value'");
            }
        }
        return out;
    }

    private static String suggestFor(Kind needed) {
        return switch (needed) {
            case DATE -> "; add {date: dd/MM/yyyy}";
            case TIME -> "; add {time: HH:mm}";
            case DATETIME -> "; add {datetime: {pattern: 'dd/MM/yyyy HH:mm'}}";
            case DECIMAL -> "; add {decimal: pt-BR}";
            case INTEGER -> "; add integer";
            case BOOLEAN -> "; add {boolean: {true: [S], false: [N]}}";
            default -> "";
        };
    }

    /** Constants and value-map outputs must be among the allowed values of an enum field. */
    private static void checkCanonicalValues(Term leaf, String constant, TransformLibrary.Pipeline pipeline, Node at,
                                             String where, Problems problems) {
        List<String> allowed = leaf.allowedValues();
        if (allowed.isEmpty()) {
            return;
        }
        List<String> produced = new ArrayList<>();
        if (constant != null && pipeline.steps().isEmpty()) {
            produced.add(constant);
        }
        for (Transform t : pipeline.steps()) {
            if (t instanceof TranslationTransforms.MapStep m) {
                m.table().values().stream().filter(java.util.Objects::nonNull).forEach(produced::add);
            }
        }
        for (String v : produced) {
            if (!allowed.contains(v)) {
                problems.add(at, where, "'" + v + "' is not an allowed value of " + leaf.path() + " (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    /**
     * Runs the mapping's examples: each {@code input} must give a record containing {@code expect}, or be rejected
     * as {@code reject} says. Examples run without reference data.
     */
    private void examples(Node node, Mapping mapping, Problems problems) {
        if (!YamlNodes.isSequence(node)) {
            problems.add(node, "examples", "must be a list of {input, expect} or {input, reject}");
            return;
        }
        Messages messages = new Messages(glossary);
        int n = 0;
        for (Node example : YamlNodes.items(node)) {
            n++;
            String where = "examples[" + n + "]";
            Map<String, NodeTuple> e = YamlNodes.entries(example);
            unknownKeys(e, EXAMPLE_KEYS, where + ".", problems);
            if (!e.containsKey("input") || !(e.containsKey("expect") ^ e.containsKey("reject"))) {
                problems.add(example, where, "needs 'input' and exactly one of 'expect' or 'reject'");
                continue;
            }
            Map<String, String> input = new LinkedHashMap<>();
            YamlNodes.entries(e.get("input").getValueNode()).forEach((k, v) -> input.put(k, YamlNodes.text(v.getValueNode())));
            MappedRecord result = mapping.apply(new SourceRecord(YamlNodes.line(example), input), validator,
                    ReferenceCatalog.NONE);
            String got = result.violations().stream().map(v -> v.rule() + " on " + v.sourceField() + " ("
                    + messages.render(v, Messages.EN) + ")").collect(Collectors.joining("; "));
            if (e.containsKey("expect")) {
                if (!result.accepted()) {
                    problems.add(example, where, "expected a record but the input was rejected: " + got);
                    continue;
                }
                JsonNode actual = Json.MAPPER.valueToTree(result.entity());
                Object expected = YamlNodes.plain(e.get("expect").getValueNode());
                List<String> differences = new ArrayList<>();
                compare(mapping.target().getSimpleName(), expected, actual, differences);
                differences.forEach(d -> problems.add(e.get("expect").getValueNode(), where, d));
            } else {
                Map<String, NodeTuple> reject = YamlNodes.entries(e.get("reject").getValueNode());
                String field = reject.containsKey("field") ? YamlNodes.text(reject.get("field").getValueNode()) : null;
                String rule = reject.containsKey("rule") ? YamlNodes.text(reject.get("rule").getValueNode()) : null;
                boolean matched = !result.accepted() && result.violations().stream().anyMatch(v ->
                        (field == null || field.equals(v.sourceField())) && (rule == null || rule.equals(v.rule())));
                if (!matched) {
                    problems.add(example, where, "expected a rejection" + (rule == null ? "" : " by rule " + rule)
                            + (field == null ? "" : " on " + field) + " but got "
                            + (result.accepted() ? "an accepted record" : got));
                }
            }
        }
    }

    /** Adds a line per difference between the expected subset and the actual canonical JSON. */
    static void compare(String path, Object expected, JsonNode actual, List<String> out) {
        if (expected instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                JsonNode child = actual;
                for (String part : key.split("\\.")) {
                    child = child == null ? null : child.get(part);
                }
                compare(path + "." + key, v, child, out);
            });
        } else if (expected instanceof List<?> list) {
            if (actual == null || !actual.isArray() || actual.size() != list.size()) {
                out.add(path + ": expected a list of " + list.size() + " but the mapping gives " + actual);
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                compare(path + "[" + i + "]", list.get(i), actual.get(i), out);
            }
        } else if (expected == null) {
            if (actual != null && !actual.isNull()) {
                out.add(path + ": expected no value but the mapping gives '" + actual.asText() + "'");
            }
        } else if (actual == null || actual.isNull()) {
            out.add(path + ": expected '" + expected + "' but the mapping gives no value");
        } else if (!sameScalar(expected.toString(), actual)) {
            out.add(path + ": expected '" + expected + "' but the mapping gives '" + actual.asText() + "'");
        }
    }

    private static boolean sameScalar(String expected, JsonNode actual) {
        if (actual.isNumber()) {
            try {
                return new BigDecimal(expected).compareTo(actual.decimalValue()) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return expected.equals(actual.asText());
    }
}
