package dev.ponte.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponte.mapping.TransformLibrary;
import dev.ponte.mapping.TransformRegistry;
import dev.ponte.mapping.TransformRegistry.Argument;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transform registry, the JSON Schema editors use and the README's table of transforms name the same
 * transforms, and the schema allows a bare name or an argument exactly where the hub does.
 */
class TransformAgreementTest {

    /** The README's table lies between these two lines of "Writing a mapping". */
    private static final String TABLE_START = "**Transforms**";
    private static final String TABLE_END = "**Checks on load.**";
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static Set<String> registry(Set<Argument> shapes) {
        return TransformRegistry.entries().stream().filter(e -> shapes.contains(e.argument()))
                .map(TransformRegistry.Entry::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode schemaTransforms() throws IOException {
        return new ObjectMapper().readTree(ShippedMappings.SCHEMA.toFile()).at("/$defs/transform/oneOf");
    }

    /** Transforms the schema accepts as a bare name (its enum). */
    private static Set<String> schemaBareNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode alternative : schemaTransforms()) {
            alternative.path("enum").forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    /** Transforms the schema accepts as a one-key map with an argument (an object requiring that key). */
    private static Set<String> schemaWithArgument() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode alternative : schemaTransforms()) {
            if ("object".equals(alternative.path("type").asText())) {
                assertThat(alternative.path("required")).as("schema alternative %s", alternative).hasSize(1);
                names.add(alternative.path("required").get(0).asText());
            }
        }
        return names;
    }

    /** The transform names of the first column of the README's table: `name`, `name: ARG`. */
    static Set<String> readmeNames() throws IOException {
        List<String> lines = Files.readAllLines(ShippedMappings.README);
        int start = indexOf(lines, TABLE_START, 0);
        int end = indexOf(lines, TABLE_END, start);
        Set<String> names = new TreeSet<>();
        for (String line : lines.subList(start + 1, end)) {
            if (!line.startsWith("| `")) {
                continue; // the header, its rule, blank lines
            }
            String firstCell = line.replace("\\|", "\u0000").split("\\|")[1];
            Matcher m = CODE.matcher(firstCell);
            while (m.find()) {
                names.add(m.group(1).split("[:\\s]")[0]);
            }
        }
        return names;
    }

    private static int indexOf(List<String> lines, String prefix, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("README.md has no line starting with " + prefix + " (the transform table's marker)");
    }

    private static void assertSame(String what, Set<String> actual, String source, Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertThat(missing.isEmpty() && extra.isEmpty())
                .as("%s: in %s but not there: %s; there but not in %s: %s", what, source, missing, source, extra)
                .isTrue();
    }

    @Test
    void theSchemaNamesEveryTransformOfTheRegistryAndNoOther() throws IOException {
        Set<String> schema = new TreeSet<>(schemaBareNames());
        schema.addAll(schemaWithArgument());
        assertSame("JSON Schema transforms", schema, "the registry", TransformRegistry.names());
    }

    @Test
    void theReadmeTableNamesEveryTransformOfTheRegistryAndNoOther() throws IOException {
        assertSame("README transform table", readmeNames(), "the registry", TransformRegistry.names());
    }

    @Test
    void theSchemaAllowsABareNameExactlyWhereTheArgumentIsNotRequired() throws IOException {
        assertSame("JSON Schema bare transform names", schemaBareNames(), "the registry (NONE or OPTIONAL)",
                registry(Set.of(Argument.NONE, Argument.OPTIONAL)));
    }

    @Test
    void theSchemaAllowsAnArgumentExactlyWhereTheTransformTakesOne() throws IOException {
        assertSame("JSON Schema transforms with an argument", schemaWithArgument(),
                "the registry (OPTIONAL or REQUIRED)", registry(Set.of(Argument.OPTIONAL, Argument.REQUIRED)));
    }

    @Test
    void theCompilerKnowsExactlyTheRegistry() {
        assertThat(TransformLibrary.NAMES).containsExactlyElementsOf(TransformRegistry.names());
        assertThat(TransformRegistry.entries()).allSatisfy(e -> assertThat(e.description()).isNotBlank());
    }
}
