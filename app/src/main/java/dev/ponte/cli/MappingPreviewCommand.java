package dev.ponte.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.SensitiveData;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappedRecord;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingSet;
import dev.ponte.source.ExportFiles;
import dev.ponte.source.SourceException;
import dev.ponte.validation.Messages;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import dev.ponte.validation.ReferenceSet;
import dev.ponte.validation.Violation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ponte mapping preview MAPPING INPUT}: one JSON object per input row on stdout, a summary on stderr.
 * Sensitive values are masked unless {@code --show-sensitive} is given.
 */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = {"Map an export file and print, per row, the canonical record or why it is rejected, as one",
                "JSON object per line: {\"line\", \"key\", \"status\", \"entity\", \"violations\"}.",
                "References (patients, procedures...) are checked against the other export files found next to",
                "INPUT (or in --refs) that the mappings next to MAPPING read."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file was previewed (even with rejected rows)", "1:the mapping was refused",
                "2:usage error, or the input cannot be read"})
final class MappingPreviewCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MAPPING", description = "Mapping file.")
    Path mappingFile;

    @Parameters(index = "1", paramLabel = "INPUT", description = "Export file to map.")
    Path input;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N rows (default: all).")
    Long limit;

    @Option(names = "--refs", paramLabel = "DIR",
            description = "Folder with the other export files, for reference checks (default: INPUT's folder).")
    Path refs;

    @Option(names = "--no-refs", description = "Do not check references to other entities.")
    boolean noRefs;

    @Option(names = "--show-sensitive",
            description = "Show personal and health data unmasked (LGPD: only on a machine you are entitled to).")
    boolean showSensitive;

    @CommandLine.Mixin
    GlossaryOptions options = new GlossaryOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Glossary glossary = options.loadGlossary(err);
        if (glossary == null) {
            return 1;
        }
        Locale locale = options.locale();
        try (RecordValidator validator = options.validator(glossary)) {
            MappingLoader loader = new MappingLoader(glossary, validator);
            Mapping mapping;
            try {
                mapping = loader.load(mappingFile);
            } catch (MappingException e) {
                e.problems().forEach(err::println);
                err.flush();
                return 1;
            }
            ReferenceCatalog catalog = noRefs ? ReferenceCatalog.NONE : references(mapping, loader, validator, err);
            Messages messages = new Messages(glossary);
            SensitiveData masking = new SensitiveData(glossary);
            long[] counts = new long[2];
            try (Stream<MappedRecord> records = ExportFiles.map(input, mapping, validator, catalog)) {
                Stream<MappedRecord> limited = limit == null ? records : records.limit(limit);
                limited.forEach(r -> {
                    counts[r.accepted() ? 0 : 1]++;
                    out.println(json(r, mapping, messages, masking, locale));
                });
            } catch (SourceException e) {
                out.flush();
                err.println(e.getMessage());
                err.flush();
                return 2;
            }
            out.flush();
            err.printf("%s: %d row(s), %d accepted, %d rejected (%s)%n", input, counts[0] + counts[1], counts[0],
                    counts[1], mapping.id());
            err.flush();
            return 0;
        }
    }

    private ReferenceCatalog references(Mapping mapping, MappingLoader loader, RecordValidator validator,
                                        PrintWriter err) {
        Path folder = refs != null ? refs : input.toAbsolutePath().getParent();
        Path mappingsFolder = mappingFile.toAbsolutePath().getParent();
        try {
            MappingSet set = MappingSet.load(mappingsFolder, loader);
            ReferenceSet found = ExportFiles.references(folder, set, validator, mapping);
            String held = found.counts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            err.println("reference data from " + folder + ": " + (held.isEmpty()
                    ? "none found; references are not checked" : held + "; references to other entities are not checked"));
            return found;
        } catch (MappingException | SourceException e) {
            err.println("reference data not loaded, references are not checked: " + e.getMessage());
            return ReferenceCatalog.NONE;
        }
    }

    private String json(MappedRecord r, Mapping mapping, Messages messages, SensitiveData masking, Locale locale) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("line", r.line());
        o.put("key", r.sourceKey());
        o.put("status", r.accepted() ? "ok" : "rejected");
        if (r.accepted()) {
            JsonNode entity = Json.MAPPER.valueToTree(r.entity());
            o.set("entity", showSensitive ? entity : masking.mask(mapping.target().getSimpleName(), entity));
        } else {
            o.putNull("entity");
        }
        ArrayNode violations = o.putArray("violations");
        for (Violation v : r.violations()) {
            ObjectNode jv = violations.addObject();
            jv.put("path", v.path());
            jv.put("term", v.path() == null ? null : messages.term(v.path(), locale));
            jv.put("sourceField", v.sourceField());
            jv.put("rule", v.rule());
            jv.put("message", messages.render(v, locale));
            jv.put("value", v.value());
        }
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
