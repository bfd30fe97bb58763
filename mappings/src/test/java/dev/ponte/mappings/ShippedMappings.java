package dev.ponte.mappings;

import dev.ponte.glossary.Glossary;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingSet;
import dev.ponte.validation.RecordValidator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** The files of this module as an admin edits them (tests run with the module folder as working directory). */
final class ShippedMappings {
    static final Path GLOSSARY = Path.of("glossary.yaml");
    static final Path LEGACY_CLINIC = Path.of("legacy-clinic");
    static final Path TEMPLATES = Path.of("templates");
    /** The demo export shipped at the repository root, with its oracle expected.json. */
    static final Path DEMO_EXPORT = Path.of("../examples/legacy-clinic");
    static final Path SCHEMA = Path.of("schema", "mapping.schema.json");
    /** The repository's README, whose "Writing a mapping" section has the table of transforms. */
    static final Path README = Path.of("../README.md");
    /** The day these tests were written: keeps "birth date in the future" stable as years pass. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneId.of("America/Sao_Paulo"));

    private ShippedMappings() {
    }

    static Glossary glossary() {
        return Glossary.load(GLOSSARY);
    }

    static RecordValidator validator(Glossary glossary) {
        return new RecordValidator(glossary, CLOCK);
    }

    static MappingSet legacyClinic(Glossary glossary, RecordValidator validator) {
        return MappingSet.load(LEGACY_CLINIC, new MappingLoader(glossary, validator));
    }
}
