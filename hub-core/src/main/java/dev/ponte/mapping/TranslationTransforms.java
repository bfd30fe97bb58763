package dev.ponte.mapping;

import dev.ponte.mapping.TransformLibrary.BadArgument;
import dev.ponte.mapping.TransformLibrary.Step;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.LinkedHashMap;
import java.util.Map;

/** Source values to canonical values: a value map in the mapping ({@code map}), or a lookup table ({@code lookup}). */
final class TranslationTransforms {

    private TranslationTransforms() {
    }

    /** {@code map}: a value map; unmapped values are rejected unless {@code otherwise: keep | null}. */
    static Transform valueMap(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        Node valuesNode = arg;
        Node otherwise = null;
        if (opts.containsKey("values") && opts.keySet().stream().allMatch(k -> k.equals("values") || k.equals("otherwise"))) {
            valuesNode = opts.get("values").getValueNode();
            if (opts.containsKey("otherwise")) {
                otherwise = opts.get("otherwise").getValueNode();
            }
        }
        if (!YamlNodes.isMapping(valuesNode)) {
            throw new BadArgument("give source → canonical pairs, e.g. map: {AG: SCHEDULED, CF: CONFIRMED}");
        }
        OnFailure mode = OnFailure.parse(otherwise);
        Map<String, String> table = new LinkedHashMap<>();
        YamlNodes.entries(valuesNode).forEach((k, t) -> table.put(k, YamlNodes.text(t.getValueNode())));
        String allowed = String.join(", ", table.keySet());
        return new MapStep(table, mode, allowed);
    }

    /** The {@code map} transform; its canonical values are visible to the loader, which checks them. */
    record MapStep(Map<String, String> table, OnFailure otherwise, String allowed) implements Transform {
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
                case KEEP -> key;
                case NULL -> null;
                case REJECT -> throw new TransformFailure("unknown-value", Map.of("allowed", allowed));
            };
        }
    }

    static Transform lookup(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String table = opts.containsKey("table") ? YamlNodes.text(opts.get("table").getValueNode()) : YamlNodes.text(arg);
        LookupTable t = ctx.lookups().get(table);
        if (t == null) {
            throw new BadArgument("no lookup table '" + table + "'; declare it under 'lookups:' (known: "
                    + String.join(", ", ctx.lookups().keySet()) + ")");
        }
        OnFailure otherwise = OnFailure.parse(opts.containsKey("otherwise") ? opts.get("otherwise").getValueNode()
                : null);
        return new Step("lookup", Kind.TEXT, Kind.TEXT, (v, r) -> {
            if (v == null) {
                return null;
            }
            if (t.contains((String) v)) {
                return t.get((String) v).orElse(null);
            }
            return switch (otherwise) {
                case KEEP -> v;
                case NULL -> null;
                case REJECT -> throw new TransformFailure("unknown-value", Map.of("allowed", "the entries of lookup "
                        + "table " + t.name()));
            };
        });
    }
}
