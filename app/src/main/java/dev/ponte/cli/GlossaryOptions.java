package dev.ponte.cli;

import dev.ponte.glossary.Glossary;
import dev.ponte.validation.Messages;
import dev.ponte.validation.RecordValidator;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/** Options shared by the commands that load mappings: which glossary, and the language of messages. */
final class GlossaryOptions {

    @Option(names = "--glossary", paramLabel = "FILE",
            description = "Glossary to check against (default: the one shipped with Ponte).")
    Path glossary;

    @Option(names = "--lang", paramLabel = "LANG",
            description = "Language of messages: pt-BR or en (default: PONTE_LANG, else the system language).")
    String lang;

    /** The glossary, or {@code null} after printing why it cannot be loaded. */
    Glossary loadGlossary(java.io.PrintWriter err) {
        try {
            return glossary == null ? Glossary.loadDefault() : Glossary.load(glossary);
        } catch (dev.ponte.glossary.GlossaryException | java.io.UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return null;
        }
    }

    RecordValidator validator(Glossary g) {
        return new RecordValidator(g, Clock.systemDefaultZone());
    }

    Locale locale() {
        String tag = lang != null ? lang : System.getenv("PONTE_LANG");
        if (tag == null) {
            tag = Locale.getDefault().getLanguage();
        }
        return tag.toLowerCase(Locale.ROOT).startsWith("pt") ? Messages.PT_BR : Messages.EN;
    }
}
