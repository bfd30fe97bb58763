package dev.ponte.mapping;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only helpers over SnakeYAML's composed node tree (which keeps line numbers). Composing builds no Java objects
 * from tags, so a mapping file cannot instantiate classes.
 */
final class YamlNodes {
    private YamlNodes() {
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** Entries of a mapping node by key, keeping the key nodes for line numbers; empty for other nodes. */
    static Map<String, NodeTuple> entries(Node node) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    out.put(k.getValue(), t);
                }
            }
        }
        return out;
    }

    static boolean isScalar(Node node) {
        return node instanceof ScalarNode;
    }

    static boolean isNull(Node node) {
        return node == null || Tag.NULL.equals(node.getTag());
    }

    /** The scalar text, or {@code null} for null/non-scalar nodes. */
    static String text(Node node) {
        return node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) ? s.getValue() : null;
    }

    static List<Node> items(Node node) {
        return node instanceof SequenceNode s ? s.getValue() : List.of();
    }

    static boolean isSequence(Node node) {
        return node instanceof SequenceNode;
    }

    static boolean isMapping(Node node) {
        return node instanceof MappingNode;
    }

    /** Plain Java view (maps, lists, strings, null) of a node, for example records. */
    static Object plain(Node node) {
        if (node instanceof MappingNode) {
            Map<String, Object> map = new LinkedHashMap<>();
            entries(node).forEach((k, t) -> map.put(k, plain(t.getValueNode())));
            return map;
        }
        if (node instanceof SequenceNode s) {
            List<Object> list = new ArrayList<>();
            s.getValue().forEach(n -> list.add(plain(n)));
            return list;
        }
        return text(node);
    }
}
