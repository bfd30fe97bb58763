package dev.ponte.draft;

import dev.ponte.glossary.EditDistance;
import dev.ponte.glossary.FieldMatcher;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.Sensitivity;
import dev.ponte.glossary.Term;
import dev.ponte.mapping.Kind;
import dev.ponte.source.ExportSample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A first mapping of an export, from a sample of its rows, to be reviewed by an admin: what no column-matching tool
 * gives without code. Columns are matched to the target entity's fields through the glossary (names, synonyms,
 * labels in both languages) and checked against the shape of their values (a CPF, a date and its pattern, a number
 * and its locale...). It never guesses silently: a column it is not sure of is a commented suggestion, a required
 * field no column matched is a {@code TODO} comment (which {@code mapping check} then reports as missing), and a value
 * of the sample it cannot place in an enum field is listed, not mapped. Sensitive values (CPF, phones, e-mail,
 * health data) are never copied from the sample into the draft.
 */
public final class MappingDraft {

    /**
     * One drafted mapping file.
     *
     * @param entity    the target entity
     * @param text      the YAML
     * @param mapped    fields mapped for sure
     * @param suggested columns left as commented suggestions
     * @param todo      required fields no column matched: the edits the draft asks for
     */
    public record Result(String entity, String text, int mapped, int suggested, int todo) {
    }

    /** A column read as one field. */
    private record Candidate(int column, String path, Term term, FieldMatcher.Match match, boolean sure) {
    }

    private final Glossary glossary;

    public MappingDraft(Glossary glossary) {
        this.glossary = glossary;
    }

    /**
     * Drafts the mapping of one entity from a sample.
     *
     * @param fileName the export's file name, for {@code source.file}
     * @param system   the source system's name, for {@code source.system} and the mapping's name
     */
    public Result draft(ExportSample sample, String fileName, String entity, String system) {
        List<String> header = sample.header();
        List<ColumnShape> shapes = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            shapes.add(ColumnShape.of(sample.column(i)));
        }
        Map<String, Term> targets = targets(entity);
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        List<Candidate> others = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            Candidate c = candidate(i, header.get(i), shapes.get(i), targets);
            if (c == null) {
                continue;
            }
            Candidate before = chosen.get(c.path());
            if (c.sure() && (before == null || c.match().score() < before.match().score())) {
                if (before != null) {
                    others.add(before);
                }
                chosen.put(c.path(), c);
            } else {
                others.add(c);
            }
        }
        String key = key(entity, header, shapes);
        StringBuilder y = new StringBuilder();
        String stem = fileName.replaceFirst("\\.[^.]*$", "");
        y.append("# DRAFT of a mapping made by 'bin/ponte mapping draft' from ").append(sample.rows().size())
                .append(" sample rows of ").append(fileName).append(".\n");
        y.append("# Review every line before use. Lines marked CHECK are readings of the sample to confirm; commented\n");
        y.append("# fields are columns the draft was not sure of; TODO lines are what it could not do. Then run:\n");
        y.append("#   bin/ponte mapping check THIS_FILE\n");
        y.append("mapping: ").append(system).append('/').append(stem).append('-').append(entity.toLowerCase(Locale.ROOT))
                .append('\n');
        y.append("version: 1\n");
        y.append("description: ").append(entity).append(" from ").append(fileName).append(" (drafted)\n");
        y.append("source:\n");
        y.append("  system: ").append(system).append("   # CHECK: the source system; with the key it identifies a record\n");
        y.append("  format: csv\n");
        y.append("  file: \"").append(fileName).append("\"\n");
        y.append("  encoding: ").append(sample.encoding().name()).append(sample.bom() ? "   # a byte-order mark was found" : "")
                .append(sample.encoding() == StandardCharsets.UTF_8 ? "" : "   # CHECK: not UTF-8; ISO-8859-1 is the other usual one")
                .append('\n');
        y.append("  delimiter: \"").append(sample.delimiter() == '\t' ? "\\t" : String.valueOf(sample.delimiter()))
                .append("\"\n");
        y.append("  header: true\n");
        if (key != null) {
            y.append("  key: ").append(key).append("   # CHECK: the column that identifies one ").append(entity)
                    .append(" in the source system\n");
        } else {
            y.append("  # TODO key: the column that identifies one ").append(entity)
                    .append(" (no column of the sample is a clear candidate)\n");
        }
        y.append("target: ").append(entity).append('\n');
        y.append("fields:\n");
        for (Candidate c : chosen.values()) {
            ColumnShape shape = shapes.get(c.column());
            y.append("  ").append(field(c, header.get(c.column()), shape)).append("   # ").append(why(c, shape))
                    .append('\n');
            enumComment(c, shape).ifPresent(comment -> y.append(comment));
        }
        int suggested = 0;
        for (Candidate c : others) {
            if (!chosen.containsKey(c.path()) || !chosen.get(c.path()).equals(c)) {
                ColumnShape shape = shapes.get(c.column());
                y.append("  # CHECK ").append(field(c, header.get(c.column()), shape)).append("   # ")
                        .append(why(c, shape)).append(chosen.containsKey(c.path()) ? "; another column is mapped to it"
                                : "; not sure (another field fits as well, or only the spelling is close): uncomment"
                                + " if right").append('\n');
                suggested++;
            }
        }
        int todo = 0;
        for (Map.Entry<String, Term> t : targets.entrySet()) {
            if (t.getValue().required() && !chosen.containsKey(t.getKey())) {
                todo++;
                y.append("  # TODO ").append(t.getKey()).append(" (").append(t.getValue().type()).append(", required): ")
                        .append(hint(t.getKey(), t.getValue(), header, shapes)).append('\n');
            }
        }
        Set<Integer> used = new LinkedHashSet<>();
        chosen.values().forEach(c -> used.add(c.column()));
        others.forEach(c -> used.add(c.column()));
        List<String> unused = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (!used.contains(i) && !header.get(i).equals(key)) {
                unused.add(header.get(i) + " (" + shapes.get(i).what() + ")");
            }
        }
        if (!unused.isEmpty()) {
            y.append("# columns not used for ").append(entity).append(": ").append(String.join(", ", unused)).append('\n');
        }
        examples(sample, header, chosen.values(), key).ifPresent(y::append);
        return new Result(entity, y.toString(), chosen.size(), suggested, todo);
    }

    /** Field path → term: the entity's own fields and the fields of its value types (address.city), not lists. */
    private Map<String, Term> targets(String entity) {
        Map<String, Term> out = new LinkedHashMap<>();
        for (Term t : glossary.fieldsOf(entity)) {
            if (t.field().equals("id") || t.type().startsWith("list<")) {
                continue;
            }
            Collection<Term> inner = glossary.fieldsOf(t.type());
            if (!inner.isEmpty()) {
                inner.stream().filter(x -> !x.type().startsWith("list<"))
                        .forEach(x -> out.put(t.field() + "." + x.field(), x));
            } else {
                out.put(t.field(), t);
            }
        }
        return out;
    }

    private Candidate candidate(int column, String name, ColumnShape shape, Map<String, Term> targets) {
        Candidate best = null;
        double second = Double.MAX_VALUE;
        for (Map.Entry<String, Term> t : targets.entrySet()) {
            Optional<FieldMatcher.Match> m = FieldMatcher.best(List.of(t.getValue()), name);
            if (m.isEmpty() || !fits(shape.kind(), t.getValue())) {
                continue;
            }
            if (best == null || m.get().score() < best.match().score()) {
                second = best == null ? second : best.match().score();
                best = new Candidate(column, t.getKey(), t.getValue(), m.get(), m.get().how() != FieldMatcher.How.SPELLING);
            } else {
                second = Math.min(second, m.get().score());
            }
        }
        // "phone" is as much homePhone as mobilePhone: a near tie is a suggestion to check, not a mapping
        if (best != null && best.sure() && best.match().score() > 3 && second - best.match().score() < 1) {
            best = new Candidate(best.column(), best.path(), best.term(), best.match(), false);
        }
        if (best == null) { // the values alone: a CPF-shaped column is a CPF, but only as a suggestion
            for (Map.Entry<String, Term> t : targets.entrySet()) {
                String want = shape.transforms().equals("[digits]") ? "cpf" : shape.transforms().equals("[phone]")
                        ? "mobilePhone" : shape.transforms().equals("[trim, lower]") ? "email" : null;
                if (t.getKey().equals(want)) {
                    return new Candidate(column, t.getKey(), t.getValue(), new FieldMatcher.Match(t.getKey(),
                            FieldMatcher.How.SPELLING, "its values", 99), false);
                }
            }
        }
        return best;
    }

    /** Whether a column of this kind can fill the field (a whole number fills a decimal; anything fills text). */
    private static boolean fits(Kind column, Term term) {
        Kind needed = Kind.forGlossaryType(term.type());
        return needed == column || needed == Kind.DECIMAL && column == Kind.INTEGER
                || needed == Kind.TEXT && column != Kind.BOOLEAN;
    }

    private static String field(Candidate c, String column, ColumnShape shape) {
        Kind needed = Kind.forGlossaryType(c.term().type());
        String transforms = needed == Kind.TEXT && shape.kind() != Kind.TEXT ? "[trim]" : shape.transforms();
        if (!c.term().allowedValues().isEmpty()) {
            transforms = "[trim, lower, {map: " + valueMap(c.term(), shape).toString().replace("=", ": ") + "}]";
        } else if (c.term().type().startsWith("ref:")) {
            transforms = "[trim]";
        }
        return c.path() + ": {from: " + quoted(column) + ", transforms: " + transforms + "}";
    }

    /** Sample value (lower case) → allowed value, for the values that are one of them but for case and separators. */
    private static Map<String, String> valueMap(Term term, ColumnShape shape) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : shape.values()) {
            for (String allowed : term.allowedValues()) {
                if (flat(allowed).equals(flat(v))) {
                    out.put(quoted(v.toLowerCase(Locale.ROOT)), allowed);
                    break;
                }
            }
        }
        return out;
    }

    /** Sample values spelt close to an allowed value ("Canceled" → CANCELLED): suggested, never mapped. */
    private static Map<String, String> nearValues(Term term, ColumnShape shape, Map<String, String> mapped) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : shape.values()) {
            if (mapped.containsKey(quoted(v.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            for (String allowed : term.allowedValues()) {
                String a = flat(allowed);
                if (a.length() > 4 && EditDistance.between(a, flat(v)) <= 2) {
                    out.put(v, allowed);
                    break;
                }
            }
        }
        return out;
    }

    private static Optional<String> enumComment(Candidate c, ColumnShape shape) {
        if (c.term().allowedValues().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> mapped = valueMap(c.term(), shape);
        Map<String, String> near = nearValues(c.term(), shape, mapped);
        List<String> left = shape.values().stream().filter(v -> !mapped.containsKey(quoted(v.toLowerCase(Locale.ROOT))))
                .toList();
        String nearText = near.isEmpty() ? "" : "; CHECK, spelt close to an allowed value: " + near.entrySet().stream()
                .map(e -> e.getKey() + " → " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        if (shape.values().isEmpty()) {
            return Optional.of("  # TODO " + c.path() + ": too many different values in the sample to list; map each to one"
                    + " of " + c.term().allowedValues() + "\n");
        }
        return left.isEmpty() ? Optional.empty() : Optional.of("  # TODO " + c.path() + ": sample values not mapped yet: "
                + left + "; add each to the map as one of " + c.term().allowedValues()
                + " (rows with them are rejected until then)" + nearText + "\n");
    }

    private static String why(Candidate c, ColumnShape shape) {
        String how = c.match().via().equals("its values") ? "by its values" : c.match().why();
        return how + "; " + shape.what() + (shape.ambiguous() == null ? "" : "; CHECK: " + shape.ambiguous());
    }

    /** What to write for a required field no column matched, with the columns that could make it. */
    private static String hint(String path, Term term, List<String> header, List<ColumnShape> shapes) {
        Kind needed = Kind.forGlossaryType(term.type());
        if (needed == Kind.DATETIME) {
            int date = -1;
            int time = -1;
            int duration = -1;
            for (int i = 0; i < shapes.size(); i++) {
                if (shapes.get(i).kind() == Kind.TIME && time < 0) {
                    time = i;
                } else if (shapes.get(i).kind() == Kind.INTEGER && header.get(i).toLowerCase(Locale.ROOT)
                        .matches(".*(dura|minut|min\\b|_min|tempo).*")) {
                    duration = i;
                }
            }
            // the date of a time is the date column nearest to it (a birth date further away is not the visit's)
            for (int i = 0; time >= 0 && i < shapes.size(); i++) {
                if (shapes.get(i).kind() == Kind.DATE && (date < 0 || Math.abs(i - time) < Math.abs(date - time))) {
                    date = i;
                }
            }
            if (date >= 0 && time >= 0) {
                String datetime = "{datetime: {date-pattern: " + inner(shapes.get(date).transforms()) + ", time-pattern: "
                        + inner(shapes.get(time).transforms()) + "}}";
                String from = "[" + quoted(header.get(date)) + ", " + quoted(header.get(time)) + "]";
                String plus = path.equals("end") && duration >= 0 ? ", {plus-duration: {column: "
                        + quoted(header.get(duration)) + ", unit: minutes}}" : "";
                return "no column is one; if the export has a date and a time (and a duration for the end), e.g. "
                        + path + ": {from: " + from + ", transforms: [" + datetime + plus + "]}";
            }
        }
        if (!term.allowedValues().isEmpty()) {
            return "no column matched; map one, or give a constant, e.g. " + path + ": {value: "
                    + term.allowedValues().get(0) + "}";
        }
        return "no column matched; map one (from: COLUMN) or give a constant (value: ...)";
    }

    /** {@code [{date: yyyy-MM-dd}]} → {@code yyyy-MM-dd}. */
    private static String inner(String transforms) {
        return transforms.replaceAll("^\\[\\{(date|time): ", "").replaceAll("}]$", "");
    }

    /** The key column: one named for the entity and an id, else the only column whose values are all distinct. */
    private String key(String entity, List<String> header, List<ColumnShape> shapes) {
        Set<String> entityWords = new LinkedHashSet<>();
        entityWords.add(entity.toLowerCase(Locale.ROOT));
        for (Locale l : List.of(Locale.ENGLISH, Locale.forLanguageTag("pt-BR"))) {
            entityWords.add(flat(glossary.typeLabel(entity, l)));
        }
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).toLowerCase(Locale.ROOT);
            boolean id = h.matches(".*(^|_|\\b)(id|cod|codigo|code)($|_|\\b).*");
            if (id && entityWords.stream().anyMatch(w -> flat(h).contains(w))) {
                return header.get(i);
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (shapes.get(i).unique()) {
                return header.get(i);
            }
        }
        return null;
    }

    /** An example from the first sample row: the non-sensitive columns of the fields mapped for sure. */
    private static Optional<String> examples(ExportSample sample, List<String> header, Collection<Candidate> mapped,
                                             String key) {
        if (sample.rows().isEmpty()) {
            return Optional.empty();
        }
        List<String> row = sample.rows().get(0);
        StringBuilder in = new StringBuilder();
        Set<String> personal = Set.of("[digits]", "[phone]", "[trim, lower]");
        if (key != null && header.indexOf(key) < row.size()
                && !personal.contains(ColumnShape.of(sample.column(header.indexOf(key))).transforms())) {
            in.append(quoted(key)).append(": ").append(quoted(row.get(header.indexOf(key))));
        }
        for (Candidate c : mapped) {
            if (c.term().sensitivity() != Sensitivity.NONE || c.column() >= row.size()
                    || header.get(c.column()).equals(key)) {
                continue;
            }
            in.append(in.length() == 0 ? "" : ", ").append(quoted(header.get(c.column()))).append(": ")
                    .append(quoted(row.get(c.column())));
        }
        return Optional.of("# examples: the first sample row (sensitive columns left out); uncomment, complete and"
                + " add the expected\n# canonical values once the mapping passes check: an example that fails refuses"
                + " the mapping\n# examples:\n#   - input: {" + in + "}\n#     expect: {}\n");
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String flat(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
