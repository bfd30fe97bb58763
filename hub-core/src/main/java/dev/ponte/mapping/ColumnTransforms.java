package dev.ponte.mapping;

import dev.ponte.mapping.TransformLibrary.BadArgument;
import dev.ponte.mapping.TransformLibrary.Step;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.ponte.mapping.TransformLibrary.blankToNull;
import static dev.ponte.mapping.TransformLibrary.requireScalar;

/** Several values into one ({@code concat}) and one value into parts ({@code split}). */
final class ColumnTransforms {

    private ColumnTransforms() {
    }

    static Transform concat(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String sep = arg == null ? " " : opts.containsKey("separator")
                ? YamlNodes.text(opts.get("separator").getValueNode()) : requireScalar(arg, "separator");
        String separator = sep == null ? "" : sep;
        return new Step("concat", Kind.LIST, Kind.TEXT, (v, r) -> {
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

    static Transform split(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
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
}
