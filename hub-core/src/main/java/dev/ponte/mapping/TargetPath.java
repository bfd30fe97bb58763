package dev.ponte.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.Term;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a mapped value goes in the canonical record: {@code birthDate}, {@code address.state},
 * {@code allergies[0].substance} (list element by position) or
 * {@code consents[channel=WHATSAPP,purpose=REMINDERS].granted} (list element identified by field values, created
 * with those values on first use). A list element is only created when a non-empty value is written into it.
 */
final class TargetPath {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z][A-Za-z0-9]*)(?:\\[([^]]*)])?");

    private record Segment(String name, Integer index, Map<String, String> selector) {
        boolean isList() {
            return index != null || selector != null;
        }
    }

    private final String text;
    private final List<Segment> segments;
    private final Term leaf;

    private TargetPath(String text, List<Segment> segments, Term leaf) {
        this.text = text;
        this.segments = segments;
        this.leaf = leaf;
    }

    /** The field name when the path is one plain top-level field ({@code price}), else {@code null}. */
    String topLevelField() {
        return segments.size() == 1 && !segments.get(0).isList() ? segments.get(0).name() : null;
    }

    /** The glossary term of the last segment. */
    Term leaf() {
        return leaf;
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Parses and checks a target against the glossary, starting from the mapping's target entity.
     *
     * @return the path, or empty after reporting the problems
     */
    static Optional<TargetPath> parse(String text, String entity, Glossary glossary, Problems problems,
                                      org.yaml.snakeyaml.nodes.Node at) {
        List<Segment> segments = new ArrayList<>();
        String type = entity;
        Term term = null;
        String[] parts = text.split("\\.(?![^\\[]*])");
        for (int i = 0; i < parts.length; i++) {
            Matcher m = SEGMENT.matcher(parts[i]);
            String where = entity + "." + text;
            if (!m.matches()) {
                // an admin who wrote a column's name (telefone_celular) as the target: say which field it means
                problems.add(at, where, "'" + parts[i] + "' is not a field name (letters and digits, optionally "
                        + "followed by [0] or [field=VALUE])" + glossary.didYouMean(type, parts[i]));
                return Optional.empty();
            }
            String name = m.group(1);
            Optional<Term> found = glossary.term(type + "." + name);
            if (found.isEmpty()) {
                String owner = type;
                String suggestion = glossary.didYouMean(owner, name);
                if (suggestion.isEmpty()) {
                    suggestion = "; see the fields of " + owner + " in glossary.yaml";
                }
                problems.add(at, owner + "." + name, "no such canonical field" + suggestion);
                return Optional.empty();
            }
            term = found.get();
            boolean last = i == parts.length - 1;
            boolean list = term.type().startsWith("list<");
            Integer index = null;
            Map<String, String> selector = null;
            String bracket = m.group(2);
            if (bracket != null && !list) {
                problems.add(at, term.path(), "is not a list; remove [" + bracket + "]");
                return Optional.empty();
            }
            if (list && bracket == null) {
                problems.add(at, term.path(), "is a list (" + term.type() + "); say which element, e.g. "
                        + name + "[0]." + firstField(glossary, term.elementType()));
                return Optional.empty();
            }
            if (bracket != null) {
                if (bracket.matches("\\d+")) {
                    index = Integer.valueOf(bracket);
                } else {
                    selector = selector(bracket, term.elementType(), glossary, problems, at);
                    if (selector == null) {
                        return Optional.empty();
                    }
                }
            }
            String next = term.elementType();
            boolean structured = !term.type().startsWith("ref:") && glossary.hasType(next);
            if (!last && !structured) {
                problems.add(at, term.path(), "is a " + term.type() + " and has no field '" + parts[i + 1] + "'");
                return Optional.empty();
            }
            if (last && structured) {
                problems.add(at, term.path(), "is a " + next + "; map its fields instead, e.g. " + text + "."
                        + firstField(glossary, next));
                return Optional.empty();
            }
            segments.add(new Segment(name, index, selector));
            type = next;
        }
        return Optional.of(new TargetPath(text, List.copyOf(segments), term));
    }

    private static String firstField(Glossary glossary, String type) {
        return glossary.fieldsOf(type).stream().map(Term::field).filter(f -> !f.equals("id")).findFirst().orElse("x");
    }

    private static Map<String, String> selector(String text, String type, Glossary glossary, Problems problems,
                                                org.yaml.snakeyaml.nodes.Node at) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                problems.add(at, type, "selector '" + pair + "' must be field=VALUE");
                return null;
            }
            String field = kv[0].strip();
            String value = kv[1].strip();
            Optional<Term> t = glossary.term(type + "." + field);
            if (t.isEmpty()) {
                problems.add(at, type + "." + field, "no such canonical field in selector"
                        + glossary.didYouMean(type, field));
                return null;
            }
            if (!t.get().allowedValues().isEmpty() && !t.get().allowedValues().contains(value)) {
                problems.add(at, t.get().path(), "'" + value + "' is not allowed (allowed: "
                        + String.join(", ", t.get().allowedValues()) + ")");
                return null;
            }
            out.put(field, value);
        }
        return out;
    }

    /** Writes a non-null JSON value at this path under {@code root}, creating objects and list elements. */
    void write(ObjectNode root, JsonNode value) {
        ObjectNode node = root;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (!s.isList()) {
                if (last) {
                    node.set(s.name(), value);
                    return;
                }
                node = node.withObjectProperty(s.name());
                continue;
            }
            ArrayNode array = node.withArrayProperty(s.name());
            ObjectNode element = s.index() != null ? elementAt(array, s.index()) : elementMatching(array, s.selector());
            if (last) {
                throw new IllegalStateException("a list path ends with a field; checked at load time: " + text);
            }
            node = element;
        }
    }

    private static ObjectNode elementAt(ArrayNode array, int index) {
        while (array.size() <= index) {
            array.addObject();
        }
        return (ObjectNode) array.get(index);
    }

    private static ObjectNode elementMatching(ArrayNode array, Map<String, String> selector) {
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            ObjectNode candidate = (ObjectNode) it.next();
            boolean all = selector.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(candidate.path(e.getKey()).asText(null)));
            if (all) {
                return candidate;
            }
        }
        ObjectNode created = array.addObject();
        selector.forEach(created::put);
        return created;
    }
}
