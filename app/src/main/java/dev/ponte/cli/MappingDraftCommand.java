package dev.ponte.cli;

import dev.ponte.draft.MappingDraft;
import dev.ponte.glossary.Glossary;
import dev.ponte.model.CanonicalModel;
import dev.ponte.source.ExportSample;
import dev.ponte.spi.SourceReadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ponte mapping draft EXPORT --target Entity[,Entity...]}: a first mapping from a sample, to be reviewed. */
@Command(name = "draft", mixinStandardHelpOptions = true,
        description = {"Draft a mapping for each target entity from a sample of an export: encoding, delimiter,",
                "date, time and number formats, and columns matched to fields through the glossary. Every guess is",
                "marked CHECK, every doubt left commented, every missing required field a TODO; then run",
                "'mapping check' on the drafts."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the drafts were written", "1:the export cannot be read, or a draft file exists (use --force)",
                "2:usage error"})
final class MappingDraftCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXPORT", description = "A sample export file (its first rows are read).")
    Path export;

    @Option(names = "--target", required = true, split = ",", paramLabel = "ENTITY",
            description = "Canonical entities each row carries, e.g. Patient,Appointment.")
    List<String> targets;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where to write the drafts (default: .).")
    Path out;

    @Option(names = "--system", paramLabel = "NAME", description = "The source system's name (default: the export's folder name).")
    String system;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "200", description = "Sample rows to read (default: 200).")
    int rows;

    @Option(names = "--force", description = "Overwrite draft files that exist.")
    boolean force;

    @CommandLine.Mixin
    GlossaryOptions options = new GlossaryOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String t : targets) {
            if (CanonicalModel.type(t).filter(CanonicalModel::isEntity).isEmpty()) {
                err.println("--target: '" + t + "' is not a canonical entity (entities: " + CanonicalModel.ENTITIES
                        .stream().map(Class::getSimpleName).toList() + ")");
                return 2;
            }
        }
        Glossary glossary = options.loadGlossary(err);
        if (glossary == null) {
            return 1;
        }
        ExportSample sample;
        try {
            sample = ExportSample.read(export, rows);
        } catch (SourceReadException e) {
            err.println(e.getMessage());
            return 1;
        }
        String fileName = export.getFileName().toString();
        String sys = system != null ? system : export.toAbsolutePath().getParent().getFileName().toString()
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        o.printf("%s: %s, delimiter '%s', %d columns, %d sample rows%n", fileName, sample.encoding().name()
                + (sample.bom() ? " with BOM" : ""), sample.delimiter() == '\t' ? "\\t" : sample.delimiter(),
                sample.header().size(), sample.rows().size());
        Files.createDirectories(out);
        MappingDraft drafts = new MappingDraft(glossary);
        for (String t : targets) {
            MappingDraft.Result r = drafts.draft(sample, fileName, t, sys);
            Path file = out.resolve(fileName.replaceFirst("\\.[^.]*$", "") + "-" + t.toLowerCase(Locale.ROOT) + ".yaml");
            if (Files.exists(file) && !force) {
                err.println(file + " exists; give --force to overwrite it, or another --out");
                return 1;
            }
            Files.writeString(file, r.text());
            o.printf("wrote %s: %d field(s) mapped, %d suggestion(s) to check, %d TODO(s)%n", file, r.mapped(),
                    r.suggested(), r.todo());
        }
        o.println("next: review the CHECK and TODO lines, then: bin/ponte mapping check " + out + "/*.yaml");
        o.flush();
        return 0;
    }
}
