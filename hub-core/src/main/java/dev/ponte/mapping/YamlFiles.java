package dev.ponte.mapping;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a mapping or lookup file into SnakeYAML's node tree, refusing what is not a small YAML text: a file over
 * {@link #MAX_BYTES}, bytes that are not UTF-8, binary content, more aliases or deeper nesting than a mapping ever
 * needs. Each refusal is a problem with the file and line, never an exception, so that the other files given to the
 * same check are still checked and a hot reload keeps the previous version without a stack trace.
 */
final class YamlFiles {

    /** A mapping file of the largest shipped export is 6 KiB; one MiB is far more than any needs. */
    static final long MAX_BYTES = 1L << 20;
    /** Aliases to maps or lists: enough to share a pipeline, far too few for an alias bomb. */
    static final int MAX_ALIASES = 50;
    /** Maps and lists within each other: a mapping needs about six. */
    static final int MAX_DEPTH = 40;
    /** Nodes of the file with every alias expanded: fewer than 50 aliases can still nest into millions. */
    static final int MAX_NODES = 100_000;

    private YamlFiles() {
    }

    /** A composed file: its root node ({@code null} for an empty file) and its text. */
    record Composed(Node root, String text) {
    }

    /**
     * The file's root node, or {@code null} after adding the reason to {@code problems}: under {@code field} when the
     * file is no YAML text (size, encoding, binary), under {@code yamlField} when it is refused YAML.
     */
    static Node compose(Path file, Problems problems, String field, String yamlField) {
        Composed c = read(file, problems, field, yamlField);
        return c == null ? null : c.root();
    }

    /** As {@link #compose}, keeping the text (a mapping's version history stores it). */
    static Composed read(Path file, Problems problems, String field, String yamlField) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                problems.add(1, field, "the file is " + size / 1024 + " KiB; a mapping or lookup file is at most "
                        + MAX_BYTES / 1024 + " KiB (is this an export rather than its mapping?)");
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
        } catch (IOException e) {
            problems.add(0, field, "cannot read the file: " + e.getMessage());
            return null;
        }
        String text = decode(bytes, problems, field);
        if (text == null) {
            return null;
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            problems.add(lineAt(text, nul), field, "the file is binary (a NUL character), not a YAML text");
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        StreamReader reader = new StreamReader(text);
        try {
            Node root = new Composer(new ParserImpl(reader, options), new Resolver(), options).getSingleNode();
            if (root != null && expanded(root, new int[]{0}) > MAX_NODES) {
                problems.add(1, yamlField, "refused YAML: its aliases expand to more than " + MAX_NODES + " nodes"
                        + " (a mapping file needs a few hundred)");
                return null;
            }
            return new Composed(root, text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1
                    : e.getContextMark() != null ? e.getContextMark().getLine() + 1 : reader.getLine() + 1;
            problems.add(line, yamlField, "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
        } catch (YAMLException e) {
            // limits (aliases, nesting) and unprintable characters: SnakeYAML gives no mark, its reader's line is where
            // it stopped
            problems.add(reader.getLine() + 1, yamlField, "refused YAML: " + e.getMessage()
                    + " (mapping files allow " + MAX_ALIASES + " aliases and " + MAX_DEPTH + " levels of nesting)");
        }
        return null;
    }

    /** Counts the nodes with aliases expanded, stopping once past {@link #MAX_NODES}. */
    private static int expanded(Node node, int[] count) {
        if (++count[0] > MAX_NODES) {
            return count[0];
        }
        if (node instanceof org.yaml.snakeyaml.nodes.MappingNode m) {
            for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
                expanded(t.getKeyNode(), count);
                expanded(t.getValueNode(), count);
                if (count[0] > MAX_NODES) {
                    break;
                }
            }
        } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode s) {
            for (Node n : s.getValue()) {
                expanded(n, count);
                if (count[0] > MAX_NODES) {
                    break;
                }
            }
        }
        return count[0];
    }

    /** Strict UTF-8 (a byte-order mark is dropped), or {@code null} with the line of the first bad byte. */
    private static String decode(byte[] bytes, Problems problems, String field) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            problems.add(line, field, String.format("not UTF-8 (byte 0x%02X); save the file as UTF-8 (the export's "
                    + "own encoding goes in source.encoding, not in the mapping file's)", bytes[at] & 0xFF));
            return null;
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    private static int lineAt(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
