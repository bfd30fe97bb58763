package dev.ponte;

import dev.ponte.glossary.Glossary;
import dev.ponte.validation.RecordValidator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** The project's glossary (mappings/glossary.yaml, a sibling module's source file) for hub-core tests. */
public final class TestGlossary {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneId.of("America/Sao_Paulo"));
    private static Glossary glossary;

    private TestGlossary() {
    }

    public static synchronized Glossary get() {
        if (glossary == null) {
            glossary = Glossary.load(Path.of("../mappings/glossary.yaml"));
        }
        return glossary;
    }

    public static RecordValidator validator() {
        return new RecordValidator(get(), CLOCK);
    }
}
