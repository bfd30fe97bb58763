package dev.ponte.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON Schema that editors use agrees with the shipped mappings, and refuses a malformed one. */
class MappingSchemaTest {

    private static JsonSchema schema;
    private static final YAMLMapper YAML = new YAMLMapper();

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(ShippedMappings.SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static Stream<Path> shippedMappings() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path folder : List.of(ShippedMappings.LEGACY_CLINIC, Path.of("payments"))) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedMappings")
    void everyShippedMappingValidatesAgainstTheSchema(Path mapping) throws IOException {
        Set<ValidationMessage> errors = schema.validate(YAML.readTree(mapping.toFile()));
        assertThat(errors).as(mapping.toString()).isEmpty();
    }

    @Test
    void thereAreShippedMappingsToCheck() throws IOException {
        assertThat(shippedMappings()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void schemaRefusesUnknownKeysAndUnknownTransforms() throws IOException {
        JsonNode broken = YAML.readTree("""
                mapping: x
                version: 1
                source: {system: legacy}
                target: Patient
                colour: blue
                fields:
                  name: {from: NOME, transforms: [trimm]}
                """);
        Set<ValidationMessage> errors = schema.validate(broken);
        assertThat(errors).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("colour"))
                .anyMatch(m -> m.contains("fields.name") || m.contains("/fields/name"));
    }
}
