package dev.ponte.glossary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared dictionary of canonical fields ({@code mappings/glossary.yaml}). Immutable once loaded; thread safe.
 */
public final class Glossary {

    /** Where the shipped glossary lives on the class path (the {@code ponte-mappings} jar). */
    public static final String CLASSPATH_LOCATION = "ponte/mappings/glossary.yaml";

    private static final Set<String> LANGUAGES = Set.of("pt-BR", "en");

    private final int version;
    private final Map<String, Map<String, Term>> termsByType;
    private final Map<String, Map<String, String>> typeLabels;

    private Glossary(int version, Map<String, Map<String, Term>> termsByType,
                     Map<String, Map<String, String>> typeLabels) {
        this.version = version;
        this.termsByType = termsByType;
        this.typeLabels = typeLabels;
    }

    /** Loads the glossary shipped on the class path. */
    public static Glossary loadDefault() {
        try (InputStream in = Glossary.class.getClassLoader().getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new GlossaryException(List.of(CLASSPATH_LOCATION + " is not on the class path: "
                        + "add the ponte-mappings jar, or pass a glossary file explicitly"));
            }
            return parse(in, "classpath:" + CLASSPATH_LOCATION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Glossary load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read glossary " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a glossary, reporting every problem found at once.
     *
     * @throws GlossaryException listing every problem, each prefixed with the origin and the term path
     */
    public static Glossary parse(InputStream in, String origin) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Term>> terms = new LinkedHashMap<>();
        Map<String, Map<String, String>> typeLabels = new LinkedHashMap<>();
        JsonNode types = root == null ? null : root.get("types");
        if (types == null || !types.isObject()) {
            throw new GlossaryException(List.of(origin + ": 'types' is missing"));
        }
        types.fields().forEachRemaining(type -> {
            String typeName = type.getKey();
            typeLabels.put(typeName, labels(type.getValue().get("label"), origin + ": " + typeName, problems));
            Map<String, Term> fields = new LinkedHashMap<>();
            JsonNode fieldNodes = type.getValue().get("fields");
            if (fieldNodes == null || !fieldNodes.isObject()) {
                problems.add(origin + ": " + typeName + ": 'fields' is missing");
            } else {
                fieldNodes.fields().forEachRemaining(f -> {
                    String path = typeName + "." + f.getKey();
                    fields.put(f.getKey(), term(path, f.getValue(), origin, problems));
                });
            }
            terms.put(typeName, Map.copyOf(fields));
        });
        if (!problems.isEmpty()) {
            throw new GlossaryException(problems);
        }
        return new Glossary(root.path("version").asInt(0), terms, typeLabels);
    }

    private static Term term(String path, JsonNode node, String origin, List<String> problems) {
        String where = origin + ": " + path;
        String type = node.path("type").asText("");
        if (type.isEmpty()) {
            problems.add(where + ": 'type' is missing");
        }
        List<String> values = strings(node.get("values"));
        if (type.equals("enum") && values.isEmpty()) {
            problems.add(where + ": an enum needs 'values'");
        }
        String definition = node.path("definition").asText("");
        if (definition.isBlank()) {
            problems.add(where + ": 'definition' is missing");
        }
        Sensitivity sensitivity = Sensitivity.NONE;
        try {
            sensitivity = Sensitivity.parse(node.path("sensitivity").asText("none"));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": sensitivity must be one of none, personal, health, financial");
        }
        return new Term(path, type, node.path("format").asText(""), node.path("required").asBoolean(false),
                values, labels(node.get("label"), where, problems), definition, sensitivity,
                strings(node.get("synonyms")), strings(node.get("templateChannels")));
    }

    private static Map<String, String> labels(JsonNode node, String where, List<String> problems) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        for (String language : LANGUAGES) {
            if (labels.getOrDefault(language, "").isBlank()) {
                problems.add(where + ": label in " + language + " is missing");
            }
        }
        return Map.copyOf(labels);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        }
        return List.copyOf(out);
    }

    public int version() {
        return version;
    }

    /** The term at {@code Entity.field}, if the glossary has it. */
    public Optional<Term> term(String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(termsByType.getOrDefault(path.substring(0, dot), Map.of())
                .get(path.substring(dot + 1)));
    }

    /** The fields of a canonical type, in glossary order; empty when the type is unknown. */
    public Collection<Term> fieldsOf(String type) {
        return termsByType.getOrDefault(type, Map.of()).values();
    }

    public Set<String> typeNames() {
        return termsByType.keySet();
    }

    public boolean hasType(String type) {
        return termsByType.containsKey(type);
    }

    /** The label of a canonical type ("Paciente"), falling back to its name. */
    public String typeLabel(String type, java.util.Locale locale) {
        Map<String, String> labels = typeLabels.getOrDefault(type, Map.of());
        return labels.getOrDefault(locale.toLanguageTag(), labels.getOrDefault("en", type));
    }

    /**
     * The known field of {@code type} that {@code field} plausibly means ({@link FieldMatcher}): its name, a synonym
     * or a label in either language, word for word or with a typo, e.g. {@code cpff} → {@code cpf},
     * {@code DATA_NASC} → {@code birthDate}, {@code mobile} and {@code telefone_celular} → {@code mobilePhone}.
     */
    public Optional<String> suggest(String type, String field) {
        return match(type, field).map(FieldMatcher.Match::field);
    }

    /** As {@link #suggest}, with how the name matched, for messages that say why. */
    public Optional<FieldMatcher.Match> match(String type, String field) {
        return FieldMatcher.best(fieldsOf(type), field);
    }

    /** "; did you mean Patient.mobilePhone (its label 'Mobile phone')?", or empty when nothing is close. */
    public String didYouMean(String type, String field) {
        return match(type, field).map(m -> "; did you mean " + type + "." + m.field()
                + (m.how() == FieldMatcher.How.NAME || m.how() == FieldMatcher.How.SPELLING || m.via().equals(m.field())
                ? "" : " (" + m.why() + ")")
                + "?").orElse("");
    }

    /**
     * The term of a full canonical path, following value types and lists: {@code Patient.address.state} →
     * {@code Address.state}; {@code Patient.consents[0].granted} → {@code Consent.granted}.
     */
    public Optional<Term> resolve(String path) {
        String[] parts = path.replaceAll("\\[[^]]*]", "").split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        String type = parts[0];
        Term term = null;
        for (int i = 1; i < parts.length; i++) {
            term = termsByType.getOrDefault(type, Map.of()).get(parts[i]);
            if (term == null) {
                return Optional.empty();
            }
            type = term.elementType();
        }
        return Optional.ofNullable(term);
    }
}
